from __future__ import annotations

from django_tasks import task


@task()
def execute_match_run(*, run_id: int) -> str:
    """Run the engine for one queued match run (on the task worker)."""
    from mentorcraft.matching.services import match_run_execute

    return match_run_execute(run_id=run_id).status
