from django.urls import path

from alongside.meetings import views

urlpatterns = [
    # --- finder, meeting page, follow, attendance ---
    path("meetings/", views.meeting_finder, name="meeting_finder"),
    path("meetings/print.pdf", views.meeting_list_pdf, name="meeting_list_pdf"),
    path("meetings/mine/", views.my_meetings, name="my_meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/follow/", views.meeting_follow, name="meeting_follow"),
    path("meetings/<int:meeting_id>/attended/", views.meeting_attend, name="meeting_attend"),
    path("meetings/<int:meeting_id>/roster/", views.meeting_roster, name="meeting_roster"),
    path(
        "meetings/<int:meeting_id>/suggest-change/",
        views.meeting_change_request,
        name="meeting_change_request",
    ),
    # --- moving to a new place ---
    path("meetings/moving/", views.relocation, name="relocation"),
    path("meetings/moving/<int:relocation_id>/check/", views.relocation_check, name="relocation_check"),
    path("meetings/moving/<int:relocation_id>/close/", views.relocation_cancel, name="relocation_cancel"),
    path(
        "p/<slug:slug>/people/<int:user_id>/moving/",
        views.relocation_handoff,
        name="relocation_handoff",
    ),
    # --- import, feeds, calendars ---
    path("p/<slug:slug>/meetings/import/", views.meetings_import, name="meetings_import"),
    path("p/<slug:slug>/meetings/import/<int:run_id>/", views.meetings_import_run, name="meetings_import_run"),
    path(
        "p/<slug:slug>/meetings/sources/<int:source_id>/refresh/",
        views.meetings_source_refresh,
        name="meetings_source_refresh",
    ),
    path("feeds/<slug:slug>/meetings.json", views.meetings_feed, name="meetings_feed"),
    path("meetings/<int:meeting_id>.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/calendar/", views.my_calendar_link, name="my_calendar_link"),
    path("calendar/<str:token>.ics", views.my_meetings_ics, name="my_meetings_ics"),
    # --- what a peer sees ---
    path("p/<slug:slug>/people/<int:user_id>/meetings/", views.member_meetings, name="member_meetings"),
]
