from django.urls import path

from alongside.recovery import views

urlpatterns = [
    # --- profile, clocks, check-ins, peer view, settings (views.py) ---
    path("welcome/recovery/", views.onboarding, name="recovery_onboarding"),
    path("recovery/profile/", views.profile_edit, name="recovery_profile"),
    path("clocks/", views.clocks, name="clocks"),
    path("clocks/<int:clock_id>/", views.clock_detail, name="clock_detail"),
    path("clocks/<int:clock_id>/return/", views.clock_return, name="clock_return"),
    path("clocks/<int:clock_id>/put-away/", views.clock_archive, name="clock_archive"),
    path("clocks/<int:clock_id>/milestones/<str:key>/", views.milestone_mark, name="milestone_mark"),
    path("checkin/", views.checkin, name="checkin"),
    path("checkins/", views.checkin_history, name="checkin_history"),
    path("p/<slug:slug>/people/<int:user_id>/recovery/", views.member_recovery, name="member_recovery"),
    path(
        "p/<slug:slug>/people/<int:user_id>/goals/<int:goal_id>/comment/",
        views.member_goal_comment,
        name="member_goal_comment",
    ),
    path("p/<slug:slug>/recovery/settings/", views.recovery_settings, name="recovery_settings"),
    # --- goals, plan, journal ---
    path("goals/", views.goals, name="goals"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/<int:goal_id>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:goal_id>/steps/", views.goal_step_add, name="goal_step_add"),
    path("goals/<int:goal_id>/steps/<int:step_id>/", views.goal_step_set, name="goal_step_set"),
    path("goals/<int:goal_id>/comment/", views.goal_comment, name="goal_comment"),
    path("plan/", views.plan_view, name="plan"),
    path("plan/edit/", views.plan_edit, name="plan_edit"),
    path("plan/history/", views.plan_history, name="plan_history"),
    path("plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("journal/", views.journal, name="journal"),
    path("journal/new/", views.journal_new, name="journal_new"),
    path("journal/<int:entry_id>/", views.journal_entry, name="journal_entry"),
    path("journal/<int:entry_id>/delete/", views.journal_delete, name="journal_delete"),
    # --- assessments ---
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/r/<int:assessment_id>/", views.assessment_result, name="assessment_result"),
    path("assessments/r/<int:assessment_id>/fhir.json", views.assessment_fhir, name="assessment_fhir"),
    path("assessments/<str:code>/", views.assessment_take, name="assessment_take"),
]
