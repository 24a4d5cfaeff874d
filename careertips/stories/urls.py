from django.urls import path

from careertips.stories.views import bank, career, coverage

app_name = "stories"
urlpatterns = [
    # The story bank (also the accomplishments log: ?organization=…&since=…).
    path("", bank.story_list, name="list"),
    path("new/", bank.story_create, name="create"),
    path("<int:pk>/", bank.story_detail, name="detail"),
    path("<int:pk>/edit/", bank.story_edit, name="edit"),
    path("<int:pk>/delete/", bank.story_delete, name="delete"),
    path("<int:pk>/diff/", bank.story_diff, name="diff"),
    path("<int:pk>/uses/", bank.story_add_use, name="add-use"),
    path("uses/<int:pk>/delete/", bank.story_use_delete, name="delete-use"),
    path("competencies/", bank.competencies, name="competencies"),
    path("competencies/<int:pk>/delete/", bank.competency_delete, name="delete-competency"),
    # Debrief feedback lands here: a story to strengthen or a gap to position.
    path("from-theme/<int:theme_pk>/", bank.from_theme, name="from-theme"),
    path("gaps/", bank.gap_list, name="gaps"),
    path("gaps/<int:pk>/", bank.gap_detail, name="gap"),
    path("gaps/<int:pk>/delete/", bank.gap_delete, name="delete-gap"),
    # Requirements of a posting and the stories that cover them.
    path("coverage/", coverage.coverage_index, name="coverage-index"),
    path("coverage/<int:opportunity_pk>/", coverage.coverage, name="coverage"),
    path("coverage/<int:opportunity_pk>/posting/", coverage.paste_posting, name="paste-posting"),
    path(
        "coverage/<int:opportunity_pk>/requirements/",
        coverage.add_requirement,
        name="add-requirement",
    ),
    path("coverage/<int:opportunity_pk>/merge/", coverage.merge_requirements, name="merge"),
    path("coverage/<int:opportunity_pk>/questions/", coverage.add_question, name="add-question"),
    path("requirements/<int:pk>/edit/", coverage.requirement_edit, name="edit-requirement"),
    path("requirements/<int:pk>/delete/", coverage.requirement_delete, name="delete-requirement"),
    path("requirements/<int:pk>/cover/", coverage.cover, name="cover"),
    path("requirements/<int:pk>/gap/", coverage.requirement_gap, name="requirement-gap"),
    path("coverages/<int:pk>/delete/", coverage.uncover, name="uncover"),
    path("questions/<int:pk>/delete/", coverage.question_delete, name="delete-question"),
    # The interview prep sheet.
    path("prep/<int:interview_pk>/", coverage.prep, name="prep"),
    path("prep/<int:interview_pk>/pdf/", coverage.prep_pdf, name="prep-pdf"),
    path("prep/<int:interview_pk>/told/", coverage.mark_told, name="mark-told"),
    # Career enhancement.
    path("cases/", career.case_list, name="cases"),
    path("cases/new/", career.case_create, name="case-create"),
    path("cases/<int:pk>/", career.case_detail, name="case"),
    path("cases/<int:pk>/edit/", career.case_edit, name="case-edit"),
    path("cases/<int:pk>/delete/", career.case_delete, name="case-delete"),
    path("goals/", career.goal_list, name="goals"),
    path("goals/new/", career.goal_create, name="goal-create"),
    path("goals/<int:pk>/", career.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", career.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/delete/", career.goal_delete, name="goal-delete"),
    path("goals/<int:pk>/milestones/", career.milestone_add, name="add-milestone"),
    path("milestones/<int:pk>/toggle/", career.milestone_toggle, name="toggle-milestone"),
    path("milestones/<int:pk>/delete/", career.milestone_delete, name="delete-milestone"),
]
