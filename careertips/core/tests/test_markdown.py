from concurrent.futures import ThreadPoolExecutor

from careertips.core.markdown import render_markdown


def test_it_renders_markdown_and_strips_what_the_allow_list_does_not_name():
    html = render_markdown("*Call* [them](https://example.com)\n\n<script>alert(1)</script>")
    assert "<em>Call</em>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<script>" not in html


def test_it_forgets_one_text_before_the_next():
    first = render_markdown("See [the guide][g].\n\n[g]: https://example.com/guide")
    assert 'href="https://example.com/guide"' in first
    assert "href" not in render_markdown("See [the guide][g].")
    assert render_markdown("") == ""
    assert render_markdown("- one\n- two") == render_markdown("- one\n- two")


def test_it_renders_the_same_text_alike_in_concurrent_threads():
    texts = [f"**{n}**\n\n1. a\n2. b\n\n[x{n}]: https://example.com/{n}" for n in range(40)]
    expected = [render_markdown(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(render_markdown, texts)) == expected
