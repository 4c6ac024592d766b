"""Web pages as seeds: each platform's shape served on loopback, read into a Lesson (metadata,
sections, key sentences, terms, no page noise), and every way a server can fail said in one
line with the output folder untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import MEETING_SEED
from pages import PAGES, Route, Site

from audiogen import cli, dates, seed
from audiogen.errors import AudiogenError
from audiogen.model import Lesson
from audiogen.seed import web

NOISE = ["공유하기", "댓글 ", "구독하기", "구독자", "라이킷", "카테고리의 다른 글", "Copyright", "Open in app", "Responses", "More from",
         "많이 본 뉴스", "인기 글", "Leave a Reply", "Recent Posts", "Listen", "본문 바로가기", "jimin@", "시리즈",
         "경제 >", "def helper", "agenda = [", "이전 글", "작가의 다음글", "반응형", "728x90"]


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with Site() as s:
        yield s


def spoken(lesson: Lesson) -> str:
    """Everything the lesson would narrate or teach."""
    return "\n".join([s.heading for s in lesson.sections] + [p for s in lesson.sections for p in s.paragraphs]
                     + [q.english + (q.korean or "") for s in lesson.sections for q in s.quotes]
                     + [t.english + t.korean for s in lesson.sections for t in s.terms])


def quotes(lesson: Lesson) -> dict[str, str | None]:
    return {q.english: q.korean for s in lesson.sections for q in s.quotes}


def terms(lesson: Lesson) -> dict[str, str]:
    return {t.english: t.korean for s in lesson.sections for t in s.terms}


# fixture, id, title, author, date, section headings, a key sentence and its meaning, a term and its meaning
PLATFORMS = [
    ("tistory.html", "oneline-english-tistory-com-48", "회의를 짧게 끝내는 세 가지 습관", "윤서진", dt.date(2025, 5, 14),
     ["들어가며", "안건을 먼저 보낸다", "결정할 사람을 정한다", "다음 단계로 닫는다"],
     ("Please review the agenda before we meet.", "만나기 전에 안건을 검토해 주세요."), ("follow up", "후속 조치를 하다")),
    ("brunch.html", "brunch-co-kr-mintwriter-27", "피드백을 부탁하는 문장들", "민트작가", dt.date(2025, 3, 11),
     ["들어가며", "질문을 좁힌다", "고마움을 먼저 말한다", "마치며"],
     ("What is one thing I could do better in the next demo?", "다음 데모에서 제가 더 잘할 수 있는 한 가지는 무엇일까요?"),
     ("defensive attitude", "방어적인 태도")),
    ("medium.html", "medium-com-danielcho-saying-no-at-work-3f2a9c1b7d10", "Saying No at Work Without Burning Bridges",
     "Daniel Cho", dt.date(2025, 6, 20), ["들어가며", "이유를 짧게 말한다", "대안을 함께 준다"],
     ("I can't take this on right now because the launch comes first.", "출시가 먼저라서 지금은 이 일을 맡을 수 없어요."),
     ("counteroffer", "역제안")),
    ("wordpress.html", "commute-english-com-2025-02-asking-again-on-calls", "전화 영어에서 되묻는 법", "박도윤",
     dt.date(2025, 2, 8), ["들어가며", "첫째, 속도를 늦춰 달라고 한다", "둘째, 들은 내용을 확인한다"],
     ("Just to confirm, the call is on Thursday at ten?", "확인차 여쭙는데, 통화는 목요일 열 시 맞죠?"),
     ("double-check", "한 번 더 확인하다")),  # from the page's vocabulary table
    ("velog.html", "velog-io-devhana-code-review-english", "코드 리뷰 코멘트를 영어로 쓰기", "Devhana", dt.date(2025, 8, 1),
     ["들어가며", "제안은 질문으로", "사소한 의견은 표시한다"],
     ("What do you think about extracting this into a helper?", "이 부분을 도우미 함수로 빼는 건 어떻게 생각하세요?"),
     ("LGTM", "좋아 보입니다")),
    ("news.html", "news-example-co-kr-article-2025-0415-10293", "직장인 영어 공부, 출근 전 20분이 가장 효과적", "오지민 기자",
     dt.date(2025, 4, 15), ["직장인 영어 공부, 출근 전 20분이 가장 효과적"],
     ("Small daily habits beat long weekend sessions.", "매일의 작은 습관이 주말의 긴 공부보다 낫다는 뜻입니다."),
     ("long-term memory", "장기 기억")),
]


@pytest.mark.parametrize("fixture, seed_id, title, author, date, headings, quote, term", PLATFORMS,
                         ids=[p[0].split(".")[0] for p in PLATFORMS])
def test_platform_pages_read_like_seeds(site, fixture, seed_id, title, author, date, headings, quote, term):
    lesson = seed.read(site.page("/post/1", fixture))
    assert (lesson.seed_id, lesson.title, lesson.author, lesson.date) == (seed_id, title, author, date)
    assert [s.heading for s in lesson.sections] == headings
    assert quotes(lesson)[quote[0]] == quote[1]
    if term[1] is None:
        assert term[0] in terms(lesson)
    else:
        assert terms(lesson)[term[0]] == term[1]
    text = spoken(lesson)
    assert not [n for n in NOISE if n in text], text
    assert site.agents and all(a.startswith("audiogen/") for a in site.agents)


def test_a_page_without_headings_takes_its_sections_from_numbered_lines(site):
    """Naver's editor has no headings: bold `1. ...` lines are the sections, `마치며` the outro,
    and a Korean line under a quoted sentence is its meaning, as in a .txt seed."""
    site.page("/PostView.naver?blogId=careerkim&logNo=223001&redirect=Dlog", "naver-postview.html")
    lesson = seed.read(site.page("/careerkim/223001", "naver-outer.html"))
    assert lesson.seed_id == "blog-naver-com-careerkim-223001"  # the post's canonical address, not the frame's
    assert (lesson.title, lesson.author, lesson.date) == ("영어 인터뷰 답변 준비", "커리어김", dt.date(2025, 9, 2))
    assert [(s.key, s.heading) for s in lesson.sections] == [
        ("intro", "들어가며"), ("1", "자기소개는 일 분 안에"), ("2", "약점 질문에는 개선 과정을"), ("outro", "마치며")]
    assert quotes(lesson) == {"I lead a small data team at a logistics startup.": "저는 물류 스타트업에서 작은 데이터 팀을 이끌고 있습니다.",
                              "I used to say yes to every request, so I started blocking focus time.": None}
    assert terms(lesson) == {"elevator pitch": "엘리베이터 피치", "self-awareness": "자기 인식"}
    assert not [n for n in NOISE + ["토익", "이력서", "커리어김"] if n in spoken(lesson)]


def test_a_saved_page_is_a_seed_named_after_its_file(tmp_path):
    page = tmp_path / "meeting-habits.html"
    page.write_bytes((PAGES / "tistory.html").read_bytes())
    assert seed.find([tmp_path]) == [page]
    lesson = seed.read(page)
    assert lesson.seed_id == "meeting-habits" and lesson.title == "회의를 짧게 끝내는 세 가지 습관"
    assert [s.key for s in lesson.sections] == ["intro", "1", "2", "3"]


def test_a_url_seed_id_never_depends_on_the_page_text():
    assert seed.html.seed_id_for_url("https://brunch.co.kr/@writer/12") == "brunch-co-kr-writer-12"
    assert re.fullmatch(r"example-com-[0-9a-f]{8}", seed.html.seed_id_for_url("https://www.example.com/글/첫-번째"))
    assert len(seed.html.seed_id_for_url("https://medium.com/@a/" + "long-title-" * 20)) <= 80
    assert seed.html.seed_id_for_url("https://blog.naver.com/PostView.naver?blogId=a&logNo=1") != \
        seed.html.seed_id_for_url("https://blog.naver.com/PostView.naver?blogId=a&logNo=2")


# --- failures: one line, non-zero, the output as it was --------------------------------------


def snapshot(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


FAILURES = {
    "404": (Route(404, b"<html><body>missing</body></html>"), "HTTP 404"),
    "500": (Route(500, b"<html><body>oops</body></html>"), "HTTP 500"),
    "not html": (Route(body=b"%PDF-1.7 ...", headers={"Content-Type": "application/pdf"}), "not a web page (the server sent application/pdf)"),
    "not an article": (Route(body="<html><body><nav><a>홈</a><a>로그인</a></nav></body></html>".encode()), "no article found"),
    "too large": (Route(body=b"<html>" + b"x" * 3000 + b"</html>"), "too large"),
    "too large, said up front": (Route(body=b"<html></html>", headers={"Content-Type": "text/html", "Content-Length": "999999999"}),
                                 "too large (999,999,999 bytes"),
    "redirect loop": (Route(302, b"", {"Location": "/post/1"}), "too many redirects"),
    "slow": (Route(body=b"<html></html>", delay=3.0), "did not answer within 0.5 s"),
    "trickling": (Route(body=b"<html>" + b"x" * 1500 + b"</html>", drip=0.1), "too slow (the page took over 0.5 s)"),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """An output folder a real build published (one short seed, eSpeak), copied for each case."""
    work = tmp_path_factory.mktemp("published")
    (work / "meeting.txt").write_text(MEETING_SEED, encoding="utf-8")
    assert cli.main(["build", str(work / "meeting.txt"), "--out", str(work / "public"), "--engine", "espeak",
                     "--cache", str(work / "cache"), "-q"]) == 0
    return work / "public"


@pytest.mark.parametrize("case", FAILURES)
def test_failures_are_one_line_and_leave_the_output_alone(site, published, tmp_path, monkeypatch, capsys, case):
    monkeypatch.setattr(web, "MAX_BYTES", 2000)
    monkeypatch.setattr(web, "TIMEOUT_S", 0.5)
    route, words = FAILURES[case]
    site.routes["/post/1"] = route
    out = tmp_path / "public"
    shutil.copytree(published, out)
    before = snapshot(out)
    code = cli.main(["build", site.base + "/post/1", "--out", str(out), "--engine", "espeak",
                     "--cache", str(tmp_path / "cache"), "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("audiogen: error: ") and err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err and snapshot(out) == before


def test_only_http_and_https(tmp_path):
    for bad in ("ftp://example.com/a", "file:///etc/passwd", "http:///no-host"):
        with pytest.raises(AudiogenError, match="http|host"):
            web.fetch(bad)


def test_an_unreachable_server_is_one_line(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with Site() as s:
        base = s.base
    with pytest.raises(AudiogenError, match="cannot reach the server"):
        web.fetch(base + "/gone")


def test_redirects_are_followed_and_the_id_comes_from_the_canonical_address(site):
    site.page("/48", "tistory.html")
    site.routes["/entry/old-name"] = Route(301, b"", {"Location": "/48"})
    lesson = seed.read(site.base + "/entry/old-name")
    assert lesson.seed_id == "oneline-english-tistory-com-48" and lesson.title == "회의를 짧게 끝내는 세 가지 습관"


def test_a_korean_legacy_encoding_is_read(site):
    """An older Korean page in EUC-KR (CP949), saying so only in its meta tag."""
    page = (PAGES / "tistory.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="euc-kr"')
    site.routes["/old"] = Route(body=page.encode("cp949", errors="xmlcharrefreplace"), headers={"Content-Type": "text/html"})
    lesson = seed.read(site.base + "/old")
    assert lesson.title == "회의를 짧게 끝내는 세 가지 습관" and lesson.author == "윤서진"


def test_an_undated_page_is_dated_in_the_working_folder(site, tmp_path, monkeypatch):
    """A URL seed has no folder of its own: its first-publication date is kept in the working folder."""
    monkeypatch.chdir(tmp_path)
    page = (PAGES / "brunch.html").read_text(encoding="utf-8")
    page = page.replace('"datePublished":"2025-03-11T09:00:00+09:00"', '"x":"y"').replace(
        '<meta property="og:regDate" content="20250311090000">', "").replace('<span class="publish_time">Mar 11. 2025</span>', "")
    site.routes["/undated"] = Route(body=page.encode("utf-8"))
    lesson = seed.read(site.base + "/undated")
    assert lesson.date is None
    book = dates.DateBook(say=print)
    first = book.date_of(lesson.source, lesson.seed_id, lesson.date)
    book.save()
    assert (tmp_path / dates.STATE_NAME).is_file()
    assert dates.DateBook(say=print).date_of(lesson.source, lesson.seed_id, None) == first


def test_headings_survive_where_the_extractor_knows_no_article_container(site):
    """Without an <article> (or a class it knows) around the post, trafilatura gathers the
    paragraphs but not the headings; they are kept all the same, and the page's own headings
    after the article (the series box, related posts) end it."""
    page = (PAGES / "velog.html").read_text(encoding="utf-8").replace("<article>", "<div>").replace("</article>", "</div>")
    site.routes["/bare"] = Route(body=page.encode("utf-8"))
    lesson = seed.read(site.base + "/bare")
    assert [s.heading for s in lesson.sections] == ["들어가며", "제안은 질문으로", "사소한 의견은 표시한다"]
    assert quotes(lesson)["What do you think about extracting this into a helper?"] == "이 부분을 도우미 함수로 빼는 건 어떻게 생각하세요?"
    assert "영어로 개발하기" not in spoken(lesson) and "관련 글" not in spoken(lesson)


def test_a_compressed_page_is_read(site):
    import gzip

    body = gzip.compress((PAGES / "tistory.html").read_bytes())
    site.routes["/gz"] = Route(body=body, headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
    assert seed.read(site.base + "/gz").title == "회의를 짧게 끝내는 세 가지 습관"


def test_bold_lines_are_the_sections_of_a_page_without_headings(site):
    """Naver's editor has no headings: short bold lines that are not sentences stand for them."""
    page = (PAGES / "naver-postview.html").read_text(encoding="utf-8")
    page = page.replace("<b>1. 자기소개는 일 분 안에</b>", "<b>자기소개는 짧게</b>").replace(
        "<b>2. 약점 질문에는 개선 과정을</b>", "<b>약점 질문에 답하기</b>")
    site.routes["/bold"] = Route(body=page.encode("utf-8"))
    lesson = seed.read(site.base + "/bold")
    assert [(s.key, s.heading) for s in lesson.sections] == [
        ("intro", "들어가며"), ("1", "자기소개는 짧게"), ("2", "약점 질문에 답하기"), ("outro", "마치며")]


def test_other_schemes_are_refused_by_name(capsys):
    assert cli.main(["build", "ftp://example.com/post.html"]) == 1
    assert "only http:// and https:// addresses" in capsys.readouterr().err


def test_a_missing_frame_is_named(site):
    with pytest.raises(AudiogenError, match=r"/careerkim/223001 \(its post frame http://127\.0\.0\.1:\d+/PostView\.naver\?blogId=careerkim.*HTTP 404"):
        seed.read(site.page("/careerkim/223001", "naver-outer.html"))


def test_a_page_digest_follows_the_article_not_its_ads_or_counters(site):
    page = (PAGES / "tistory.html").read_text(encoding="utf-8")
    site.routes["/a"] = Route(body=page.encode("utf-8"))
    site.routes["/b"] = Route(body=page.replace("댓글 2", "댓글 3").replace("728x90", "320x100").encode("utf-8"))
    site.routes["/c"] = Route(body=page.replace("준비된 사람은", "준비한 사람은").encode("utf-8"))
    a, b, c = (seed.read(site.base + p).digest for p in ("/a", "/b", "/c"))
    assert a == b != c


def test_an_article_address_in_podcast_toml_is_a_seed(site, tmp_path, monkeypatch):
    """`seeds = ["https://..."]` in podcast.toml builds that article, like the address given on the command line."""
    site.page("/48", "tistory.html")
    (tmp_path / "podcast.toml").write_text(f'[show]\ntitle = "쇼"\nseeds = ["{site.base}/48"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--out", "public", "--engine", "espeak", "--cache", "cache", "-q",
                     "--report", "report.json"]) == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {e["slug"].rsplit("-", 1)[0] for e in report["episodes"] if e["type"] == "full"} == {
        "oneline-english-tistory-com-48"}


# --- fetching stays public ----------------------------------------------------------------------
# Nothing here may send a packet off the machine: the targets are address literals (resolved
# without DNS) or names whose resolution is patched, and every connect is watched.


@pytest.fixture
def loopback_only(monkeypatch):
    """Any attempt to connect beyond loopback fails the test loudly (and is recorded)."""
    import socket

    attempts: list[object] = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise AssertionError(f"a test tried to connect to {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    real_create = socket.create_connection

    def create_connection(address, *args, **kwargs):
        if address[0] not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise AssertionError(f"a test tried to connect to {address}")
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return attempts


PRIVATE_TARGETS = ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/admin", "http://192.168.1.1/",
                   "http://127.0.0.2/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[fe80::1]/",
                   "http://[::ffff:169.254.169.254]/", "http://[fd00::1]/", "http://240.0.0.1/"]


def test_a_redirect_into_link_local_space_is_refused_before_connecting(site, published, tmp_path, capsys,
                                                                      loopback_only):
    """The issue's case: `Location: http://169.254.169.254/...` (a cloud's metadata service)."""
    site.routes["/post/1"] = Route(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
    out = tmp_path / "public"
    shutil.copytree(published, out)
    before = snapshot(out)
    code = cli.main(["build", site.base + "/post/1", "--out", str(out), "--engine", "espeak",
                     "--cache", str(tmp_path / "cache"), "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (f"audiogen: error: {site.base}/post/1: refused to follow http://169.254.169.254/latest/meta-data/ "
                   "to 169.254.169.254 (169.254.169.254), a loopback, private, link-local or reserved address; "
                   "the build stopped, the published output is unchanged (build again when the page answers)\n")
    assert loopback_only == [] and snapshot(out) == before


@pytest.mark.parametrize("target", PRIVATE_TARGETS)
def test_no_redirect_leads_to_a_private_or_reserved_address(site, loopback_only, target):
    site.routes["/post/1"] = Route(301, b"", {"Location": target})
    with pytest.raises(AudiogenError, match=r"refused to follow .* a loopback, private, link-local or reserved"):
        web.fetch(site.base + "/post/1")
    assert loopback_only == []


def test_a_name_that_resolves_to_a_private_address_is_refused(site, loopback_only, monkeypatch):
    """DNS is patched (no query leaves the machine): every address of the name is checked."""
    import socket

    real = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "intranet.example.com":
            asked.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    site.routes["/post/1"] = Route(302, b"", {"Location": "http://intranet.example.com/wiki"})
    with pytest.raises(AudiogenError, match=r"to intranet\.example\.com \(10\.1\.2\.3\)"):
        web.fetch(site.base + "/post/1")
    assert asked == ["intranet.example.com"] and loopback_only == []


def test_a_frame_on_a_private_host_is_refused(site, loopback_only):
    outer = '<html><body><iframe id="mainFrame" src="http://192.168.0.10/PostView.naver?x=1"></iframe></body></html>'
    site.routes["/blog/1"] = Route(body=outer.encode())
    with pytest.raises(AudiogenError, match=r"its post frame .*refused to follow http://192\.168\.0\.10/"):
        web.fetch(site.base + "/blog/1")
    assert loopback_only == []


def test_the_typed_host_stays_allowed_and_public_addresses_are_public(site, loopback_only):
    site.page("/48", "tistory.html")
    site.routes["/old"] = Route(302, b"", {"Location": site.base + "/48"})  # loopback, as the user typed
    assert web.fetch(site.base + "/old").final_url == site.base + "/48"
    assert web.is_public("93.184.216.34") and web.is_public("2606:2800:220:1:248:1893:25c8:1946")
    assert not any(web.is_public(a) for a in ("127.0.0.1", "::1", "169.254.169.254", "10.0.0.1", "172.16.0.1",
                                              "192.168.0.1", "100.64.0.1", "224.0.0.1", "::ffff:10.0.0.1"))


# --- a source that fails keeps what was published ------------------------------------------------


def feed_items(out: Path) -> list[tuple[str, str | None, str]]:
    """(GUID, season, enclosure URL) of every published episode."""
    from lxml import etree

    itunes = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
    return [(i.findtext("guid"), i.findtext(f"{itunes}season"), i.find("enclosure").get("url"))
            for i in etree.parse(str(out / "feed.xml")).iter("item")]


def test_an_article_address_that_answers_503_once_unpublishes_nothing(site, tmp_path, monkeypatch, capsys):
    """The issue's case: two addresses in `seeds`, the second answers 503. The build stops with
    one line and the output exactly as it was; the next good build changes no GUID, season or URL."""
    site.page("/news", "news.html")
    site.page("/calls", "wordpress.html")
    (tmp_path / "podcast.toml").write_text(
        f'[show]\ntitle = "쇼"\nseeds = ["{site.base}/news", "{site.base}/calls"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["build", "--out", "public", "--engine", "espeak", "--cache", "cache", "-q"]
    assert cli.main(args) == 0
    capsys.readouterr()
    published, items = snapshot(tmp_path / "public"), feed_items(tmp_path / "public")
    assert len(items) >= 3 and len({season for _, season, _ in items}) == 2

    site.routes["/calls"] = Route(503, b"<html><body>busy</body></html>")
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert err == (f"audiogen: error: {site.base}/calls: the server answered HTTP 503 Service Unavailable; "
                   "the build stopped, the published output is unchanged (build again when the page answers)\n")
    assert snapshot(tmp_path / "public") == published

    site.page("/calls", "wordpress.html")
    assert cli.main(args) == 0
    assert feed_items(tmp_path / "public") == items


def test_a_name_that_turns_private_between_check_and_connect_is_refused(site, loopback_only, monkeypatch):
    """DNS rebinding, with resolution patched: public when checked, loopback when connected.
    The connection goes to the address checked at connect time, so it is refused there."""
    import socket

    real = socket.getaddrinfo
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "rebind.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    site.routes["/post/1"] = Route(302, b"", {"Location": "http://rebind.example.com/"})
    with pytest.raises(AudiogenError, match=r"refused to follow http://rebind\.example\.com/ to rebind\.example\.com "
                                            r"\(127\.0\.0\.1\)"):
        web.fetch(site.base + "/post/1")
    assert loopback_only == []
