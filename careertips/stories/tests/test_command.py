import pytest
from django.core.management import call_command
from django.db import connection

from careertips.stories.reports import search_stories
from careertips.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def test_it_rebuilds_the_story_index(alice, capsys):
    make_story(owner=alice, title="Owned the budget")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM stories_story_fts")
    assert search_stories(owner=alice, text="budget") == []
    call_command("rebuild_story_index")
    assert "Indexed 1 stories and 0 requirements." in capsys.readouterr().out
    assert len(search_stories(owner=alice, text="budget")) == 1
