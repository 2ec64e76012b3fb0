"""The site's URLs, plus the two baselines the page benchmark measures against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site
from mentorcraft.people.models import Topic


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@login_required
def plain(request: HttpRequest) -> HttpResponse:
    """A plain page of this site: the layout, for a signed-in person, and 20 rows from one
    query."""
    return render(request, "bench_plain.html", {"rows": Topic.objects.order_by("pk")[:20]})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/plain/", plain),
    *site,
]
