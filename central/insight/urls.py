"""Staff pages of usage, drop-off, the report download and 差评 follow-up (under /staff/insight/)."""

from django.urls import path

from central.insight import followup_views, views

urlpatterns = [
    path("", views.dashboard, name="insight-dashboard"),
    path("report", views.report_download, name="insight-report"),
    path("dropoff/", views.dropoff, name="insight-dropoff"),
    path("followups/", followup_views.task_list, name="insight-followups"),
    path("followups/<int:pk>/", followup_views.task_page, name="insight-followup"),
]
