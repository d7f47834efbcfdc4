"""URL map: admin, kiosk API, TUF repository, public phone pages, display board, counters."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from central.api.views import api
from central.casework import public as casework_public
from central.casework import views as casework
from central.pages import board, counter, public
from central.publishing import serve as tuf_serve
from central.review import views as review

admin.site.site_header = _("Public legal service · central administration")
admin.site.site_title = _("Legal kiosk central")
admin.site.site_url = "/staff/"  # "view site": the counters a staff member may serve at
admin.site.index_title = _("Content, appointments, queues and kiosks")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/flows/", include("central.editing.urls")),  # the flow editor (before the admin's own)
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^tuf/metadata/(?P<name>[0-9A-Za-z._-]+\.json)$", tuf_serve.metadata, name="tuf-metadata"),
    re_path(r"^tuf/targets/(?P<path>[0-9A-Za-z._/-]+)$", tuf_serve.target, name="tuf-target"),
    path("q/<str:ticket_id>", public.ticket_page, name="ticket-page"),
    path("b/<str:code>", public.booking_page, name="booking-page"),
    path("board/<int:office_id>/", board.board_page, name="board"),
    path("board/<int:office_id>/state.json", board.board_state, name="board-state"),
    path("staff/", counter.counter_list, name="counter-list"),
    path("staff/counter/<int:counter_id>/", counter.counter_page, name="counter"),
    path("a/<str:code>", casework_public.application_page, name="application-page"),
    path("f/<str:kind>", casework_public.blank_form, name="blank-form"),
    re_path(r"^o/(?P<flow>[^/]{1,80})/(?P<node>[^/]{1,80})$", casework_public.outcome_page,
            name="outcome-page"),
    path("staff/applications/", casework.application_list, name="casework-list"),
    path("staff/applications/<str:code>/", casework.application_page, name="casework-application"),
    path("staff/applications/<str:code>/form.pdf", casework.application_form, name="casework-form"),
    path("staff/callbacks/", casework.callback_queue, name="casework-callbacks"),
    path("staff/review/", review.review_list, name="review-list"),
    path("staff/review/<path:path>", review.review_page, name="review-file"),
    path("healthz", public.healthz, name="healthz"),
    path("staff/insight/", include("central.insight.urls")),
]
