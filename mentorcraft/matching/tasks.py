from __future__ import annotations

from django_tasks import task

from mentorcraft.matching.runs import match_run_execute


@task()
def execute_match_run(*, run_id: int) -> str:
    """Run the engine for one queued match run (on the task worker)."""
    return match_run_execute(run_id=run_id).status
