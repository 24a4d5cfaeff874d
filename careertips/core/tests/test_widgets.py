from django import forms

from careertips.core.forms import LongSelect

CHOICES = [
    ("", "Someone new"),
    (1, 'Ann "A" <Bell>, O\'Neil & Co'),
    (2, "Bob"),
    ("Elsewhere", [(3, "Cy"), (4, "Di")]),
    (None, "Nobody"),
]


def _both(value, attrs=None):
    plain = forms.Select(choices=CHOICES, attrs={"class": "wide", "required": True})
    fast = LongSelect(choices=CHOICES, attrs={"class": "wide", "required": True})
    return (
        str(plain.render("contact", value, attrs=attrs)),
        str(fast.render("contact", value, attrs=attrs)),
    )


def test_it_renders_what_djangos_select_renders():
    plain, fast = _both(2, attrs={"id": "id_contact", "disabled": False})
    assert fast == plain
    assert '<option value="2" selected>Bob</option>' in fast


def test_it_escapes_labels_and_marks_a_choice_inside_a_group():
    plain, fast = _both("4")
    assert fast == plain
    assert "Ann &quot;A&quot; &lt;Bell&gt;, O&#x27;Neil &amp; Co" in fast
    assert '<optgroup label="Elsewhere">' in fast
    assert '<option value="4" selected>Di</option>' in fast


def test_it_selects_the_empty_choice_for_no_value():
    plain, fast = _both(None)
    assert fast == plain
    assert '<option value="" selected>Someone new</option>' in fast


def test_it_escapes_a_name_that_is_both_value_and_label():
    names = [("", "Anywhere"), ('A "B" <C> & D', 'A "B" <C> & D'), ("Plain", "Plain")]
    plain = forms.Select(choices=names)
    fast = LongSelect(choices=names)
    value = 'A "B" <C> & D'
    assert str(fast.render("at", value)) == str(plain.render("at", value))
    assert (
        '<option value="A &quot;B&quot; &lt;C&gt; &amp; D" selected>'
        "A &quot;B&quot; &lt;C&gt; &amp; D</option>" in str(fast.render("at", value))
    )
