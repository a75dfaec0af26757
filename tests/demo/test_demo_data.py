"""Integrity checks of the demo content in package ``demo`` (pure data)."""

from __future__ import annotations

import dataclasses
import itertools
import re
import struct
from collections import Counter

import pytest

import demo
from demo import shapes
from demo.media import VIDEO_DIR
from demo.videos import VIDEOS_BY_KEY
from media import parse_webvtt

AUDIENCES = set(shapes.AUDIENCES)


def _all_items():
    return (
        list(demo.MEDIA)
        + list(demo.LESSONS)
        + list(demo.STORIES)
        + list(demo.BANKS)
        + list(demo.QUESTIONS)
        + list(demo.QUIZZES)
        + list(demo.EXPERTS)
        + list(demo.EXPERT_GROUPS)
        + list(demo.ORGANIZATIONS)
        + list(demo.USERS)
        + list(demo.CONSULTATIONS)
    )


def _strings(value):
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


# ------------------------------------------------------------------ general


def test_keys_are_unique():
    for name, items, attr in [
        ("media", demo.MEDIA, "key"),
        ("lessons", demo.LESSONS, "key"),
        ("stories", demo.STORIES, "key"),
        ("banks", demo.BANKS, "key"),
        ("questions", demo.QUESTIONS, "key"),
        ("quizzes", demo.QUIZZES, "key"),
        ("experts", demo.EXPERTS, "key"),
        ("organizations", demo.ORGANIZATIONS, "key"),
        ("users", demo.USERS, "username"),
        ("consultations", demo.CONSULTATIONS, "key"),
    ]:
        keys = [getattr(i, attr) for i in items]
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        assert not dupes, (name, dupes)


def test_shapes_are_frozen():
    for item in _all_items():
        assert dataclasses.is_dataclass(item)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(item, dataclasses.fields(item)[0].name, None)


def test_no_phone_numbers_or_long_digit_runs():
    # Never invent phone numbers that might be real; only 110 / 120 appear.
    for item in _all_items():
        for s in _strings(item):
            assert not re.search(r"\d{5,}", s), s
            assert not re.search(r"\d{3,4}-\d{3,}", s), s


# -------------------------------------------------------------------- media


def test_media_count_and_kinds():
    assert 10 <= len(demo.MEDIA) <= 20
    kinds = Counter(m.kind for m in demo.MEDIA)
    assert set(kinds) == {"IMAGE", "VIDEO", "AUDIO", "DOCUMENT"}


def test_media_accessibility():
    for m in demo.MEDIA:
        assert m.title.strip(), m.key
        if m.kind == "IMAGE":
            assert m.alt_text and len(m.alt_text) >= 10, m.key
        if m.kind == "AUDIO":
            assert m.transcript and len(m.transcript) >= 100, m.key
        if m.kind == "VIDEO":
            assert m.transcript and m.captions, m.key


def test_media_generators_and_ascii_args():
    for m in demo.MEDIA:
        assert m.generator in shapes.GENERATORS, m.key
        kind, params = shapes.GENERATORS[m.generator]
        assert m.kind == kind, m.key
        assert set(m.args) == set(params), m.key
        for s in _strings(m.args):
            assert s.isascii(), (m.key, s)
        if m.generator == "poster_png":
            assert m.args["palette"] in shapes.PALETTES
        if m.generator == "comic_strip_png":
            assert isinstance(m.args["panels"], list) and 2 <= len(m.args["panels"]) <= 6
        if m.generator == "tone_wav":
            assert isinstance(m.args["seconds"], int) and 1 <= m.args["seconds"] <= 60
        if m.generator == "courseware_pdf":
            assert isinstance(m.args["pages"], list) and m.args["pages"]
        if m.generator == "video_file":
            assert (VIDEO_DIR / m.args["file"]).is_file(), m.key


def test_every_media_item_is_used():
    used = set()
    for c in list(demo.LESSONS) + list(demo.STORIES):
        used.update(c.media_keys)
        if c.cover_media_key:
            used.add(c.cover_media_key)
    assert {m.key for m in demo.MEDIA} <= used


def _boxes(data: bytes, start: int = 0, end: int | None = None):
    """(type, payload start, box end) of the ISO BMFF boxes in data[start:end], in order."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        assert size >= 8, "64-bit or open-ended boxes are not expected here"
        yield kind.decode("latin-1"), start + 8, start + size
        start += size


def test_demo_videos_are_small_faststart_h264_with_aac_and_10_to_30_seconds():
    videos = [m for m in demo.MEDIA if m.kind == "VIDEO"]
    assert len(videos) >= 3
    for m in videos:
        data = (VIDEO_DIR / m.args["file"]).read_bytes()
        assert len(data) < 1_000_000, (m.key, len(data))
        top = [kind for kind, _, _ in _boxes(data)]
        assert top[0] == "ftyp" and top.index("moov") < top.index("mdat"), (m.key, top)  # faststart
        _, moov, moov_end = next(b for b in _boxes(data) if b[0] == "moov")
        mvhd = next(b for b in _boxes(data, moov, moov_end) if b[0] == "mvhd")
        timescale, duration = struct.unpack(">II", data[mvhd[1] + 12 : mvhd[1] + 20])
        assert 10 <= duration / timescale <= 30, (m.key, duration / timescale)
        movie = data[moov:moov_end]
        assert b"avc1" in movie and b"avcC" in movie, m.key  # H.264 sample entry and its configuration
        assert b"mp4a" in movie, m.key  # AAC audio
        assert struct.pack(">HH", 480, 270) in movie, m.key  # the avc1 entry's width and height


def test_demo_caption_tracks_follow_the_narration():
    for m in (m for m in demo.MEDIA if m.kind == "VIDEO"):
        video = VIDEOS_BY_KEY[m.key]
        data = (VIDEO_DIR / m.args["file"]).read_bytes()
        _, moov, moov_end = next(b for b in _boxes(data) if b[0] == "moov")
        mvhd = next(b for b in _boxes(data, moov, moov_end) if b[0] == "mvhd")
        timescale, duration = struct.unpack(">II", data[mvhd[1] + 12 : mvhd[1] + 20])
        timings = set()
        assert m.captions[0].language == "zh-CN"
        for track in m.captions:
            raw = (VIDEO_DIR / track.file).read_bytes()
            assert raw.startswith(b"WEBVTT\n"), track.file
            cues = parse_webvtt(raw)  # checks the timings are in order, as the endpoint's uploads are
            assert all(a.end <= b.start for a, b in itertools.pairwise(cues)), track.file
            assert cues[-1].end <= duration / timescale, track.file
            timings.add(tuple((c.start, c.end) for c in cues))
            if track.language == "zh-CN":
                assert track.kind == "CAPTIONS"
                assert [c.text for c in cues] == [s.line for s in video.scenes], track.file
                assert "\n".join(c.text for c in cues) == m.transcript
                assert all(re.search(r"[\u4e00-\u9fff]", c.text) for c in cues), track.file
            else:
                assert track.kind == "SUBTITLES"
                assert [c.text for c in cues] == [dict(s.translations)[track.language] for s in video.scenes]
        assert len(timings) == 1, m.key  # every language is timed to the same narration


def test_images_in_chinese_lessons_have_chinese_captions():
    chinese = [c for c in list(demo.LESSONS) + list(demo.STORIES) if c.locale == "zh-CN"]
    used = {k for c in chinese for k in (*c.media_keys, c.cover_media_key) if k}
    images = [demo.MEDIA_BY_KEY[k] for k in used if demo.MEDIA_BY_KEY[k].kind == "IMAGE"]
    assert images
    for m in images:
        assert m.caption and re.search(r"[\u4e00-\u9fff]", m.caption) and len(m.caption) <= 500, m.key


# ------------------------------------------------------------------ content


@pytest.mark.parametrize("items", [demo.LESSONS, demo.STORIES], ids=["lessons", "stories"])
def test_content_references_and_enums(items):
    for c in items:
        assert c.locale in shapes.LOCALES
        assert c.status in ("PUBLISHED", "DRAFT", "IN_REVIEW")
        assert c.audiences and set(c.audiences) <= AUDIENCES, c.key
        assert c.tags and all(t.strip() for t in c.tags), c.key
        assert c.title.strip() and c.summary.strip(), c.key
        if c.cover_media_key is not None:
            assert demo.MEDIA_BY_KEY[c.cover_media_key].kind == "IMAGE", c.key
        for k in c.media_keys:
            assert k in demo.MEDIA_BY_KEY, (c.key, k)


def test_lessons():
    lessons = demo.LESSONS
    assert len(lessons) >= 18
    sections = Counter(lesson.section for lesson in lessons)
    assert set(sections) == set(shapes.LESSON_SECTIONS)
    assert min(sections.values()) >= 3
    statuses = Counter(lesson.status for lesson in lessons)
    assert statuses["DRAFT"] >= 1 and statuses["IN_REVIEW"] >= 1
    covered = {a for lesson in lessons for a in lesson.audiences}
    assert covered == AUDIENCES
    for lesson in lessons:
        assert 150 <= len(lesson.body) <= 600, (lesson.key, len(lesson.body))
        assert "## " in lesson.body, lesson.key
        has_list = re.search(r"^(- |\d+\. )", lesson.body, re.MULTILINE)
        assert has_list or lesson.body.count("## ") >= 3, lesson.key
        assert lesson.estimated_minutes > 0
    assert any("冰毒" in lesson.body for lesson in lessons if lesson.locale == "zh-CN")


def test_lesson_translations():
    translations = [lesson for lesson in demo.LESSONS if lesson.translation_of_key]
    assert len(translations) >= 3
    for t in translations:
        original = demo.LESSONS_BY_KEY[t.translation_of_key]
        assert t.locale == "en" and original.locale == "zh-CN"
        assert original.translation_of_key is None
        assert t.section == original.section
    assert len({t.translation_of_key for t in translations}) == len(translations)


def test_stories():
    stories = demo.STORIES
    assert len(stories) >= 7
    assert set(Counter(s.kind for s in stories)) == set(shapes.STORY_KINDS)
    assert sum(s.kind == "RECOVERY_STORY" for s in stories) >= 3
    assert sum(s.kind == "METHOD" for s in stories) >= 3
    for s in stories:
        assert s.narrator.strip(), s.key
        assert 150 <= len(s.body) <= 800, (s.key, len(s.body))
    with_audio = [s for s in stories if any(demo.MEDIA_BY_KEY[k].kind == "AUDIO" for k in s.media_keys)]
    assert with_audio
    assert any(s.kind == "RECOVERY_STORY" for s in with_audio)


# ---------------------------------------------------------------- questions


def test_banks():
    assert 3 <= len(demo.BANKS) <= 4
    for b in demo.BANKS:
        assert b.name.strip() and b.description.strip()
    used = Counter(q.bank_key for q in demo.QUESTIONS)
    assert set(used) == {b.key for b in demo.BANKS}


def test_question_counts_types_and_audiences():
    questions = demo.QUESTIONS
    assert len(questions) >= 90
    types = Counter(q.type for q in questions)
    assert set(types) == set(shapes.QUESTION_TYPES)
    assert min(types.values()) >= 8, types
    covered = {a for q in questions for a in q.audiences}
    assert covered == AUDIENCES
    for audience in AUDIENCES:
        assert sum(audience in q.audiences for q in questions) >= 10, audience
    assert set(Counter(q.difficulty for q in questions)) == set(shapes.DIFFICULTIES)


def test_question_shapes():
    for q in demo.QUESTIONS:
        assert q.stem.strip(), q.key
        assert len(q.explanation) >= 20, q.key
        assert q.difficulty in shapes.DIFFICULTIES
        assert q.audiences and set(q.audiences) <= AUDIENCES, q.key
        assert q.tags, q.key
        assert q.bank_key in demo.BANKS_BY_KEY, q.key
        texts = [o.text for o in q.options]
        assert len(texts) == len(set(texts)), q.key
        correct = sum(o.correct for o in q.options)
        if q.type in ("SINGLE_CHOICE", "TRUE_FALSE"):
            assert correct == 1, q.key
        if q.type == "TRUE_FALSE":
            assert len(q.options) == 2, q.key
        if q.type == "SINGLE_CHOICE":
            assert len(q.options) >= 3, q.key
        if q.type == "MULTIPLE_CHOICE":
            assert 1 <= correct < len(q.options), q.key
        if q.type == "MATCHING":
            assert len(q.options) == len(q.match_targets) >= 3, q.key
            assert len(set(q.match_targets)) == len(q.match_targets), q.key
        else:
            assert not q.match_targets, q.key
        if q.type == "ORDERING":
            assert len(q.options) >= 3, q.key
        if q.type == "FILL_IN_BLANK":
            assert not q.options, q.key
            assert q.accepted_answers and all(a.strip() for a in q.accepted_answers), q.key
            assert "____" in q.stem, q.key
        else:
            assert not q.accepted_answers, q.key
        if q.type in ("MATCHING", "ORDERING"):
            assert correct == 0, q.key


def test_626_fill_in_accepts_variants():
    answers = {a for q in demo.QUESTIONS if q.type == "FILL_IN_BLANK" for a in q.accepted_answers}
    assert {"6月26日", "6月26号", "六月二十六日"} <= answers


def test_quizzes():
    quizzes = demo.QUIZZES
    fixed_per_audience = Counter(a for z in quizzes if len(z.audiences) == 1 for a in z.audiences)
    assert set(fixed_per_audience) == AUDIENCES
    lessons_used = []
    for z in quizzes:
        assert z.title.strip() and z.description.strip()
        assert z.audiences and set(z.audiences) <= AUDIENCES
        assert z.lesson_key in demo.LESSONS_BY_KEY, z.key
        lesson = demo.LESSONS_BY_KEY[z.lesson_key]
        assert lesson.status == "PUBLISHED", z.key
        assert set(lesson.audiences) & set(z.audiences), z.key
        lessons_used.append(z.lesson_key)
        assert 0 <= z.passing_score <= 100
        assert z.max_attempts is None or z.max_attempts >= 1
        assert z.time_limit_seconds is None or z.time_limit_seconds >= 60
        if z.question_keys:
            assert z.draw_from_bank_key is None and z.draw_count is None, z.key
            assert 8 <= len(z.question_keys) <= 15, z.key
            assert len(set(z.question_keys)) == len(z.question_keys), z.key
            for k in z.question_keys:
                q = demo.QUESTIONS_BY_KEY[k]
                assert set(q.audiences) & set(z.audiences), (z.key, k)
        else:
            assert z.draw_from_bank_key in demo.BANKS_BY_KEY, z.key
            assert 8 <= z.draw_count <= 15, z.key
            bank_size = sum(q.bank_key == z.draw_from_bank_key for q in demo.QUESTIONS)
            assert z.draw_count <= bank_size
    # Lesson.quiz is singular: one quiz per lesson.
    assert len(set(lessons_used)) == len(lessons_used)


# ------------------------------------------------------------------ experts


def test_expert_groups():
    groups = demo.EXPERT_GROUPS
    assert [g.area for g in groups] == list(shapes.EXPERTISE_AREAS)
    assert {g.name_zh for g in groups} == {"心理矫治", "法律咨询", "教育矫正", "康复训练"}
    for g in groups:
        assert g.name_en and g.description_zh and g.description_en
        assert g.description_en.isascii()


def test_experts():
    experts = demo.EXPERTS
    assert len(experts) == 18
    areas = Counter(e.area for e in experts)
    assert set(areas) == set(shapes.EXPERTISE_AREAS)
    assert min(areas.values()) >= 4
    assert sum(not e.accepting_consultations for e in experts) == 1
    assert len({e.display_name for e in experts}) == 18
    assert len({e.username for e in experts}) == 18
    for e in experts:
        assert 80 <= len(e.bio) <= 200, (e.key, len(e.bio))
        assert e.title.strip() and e.specialties, e.key
        user = demo.USERS_BY_USERNAME[e.username]
        assert user.roles == ("EXPERT",)
        assert user.display_name == e.display_name


# ----------------------------------------------------------------- accounts


def test_organizations_and_users():
    assert {o.kind for o in demo.ORGANIZATIONS} == set(shapes.ORGANIZATION_KINDS)
    roles = Counter(r for u in demo.USERS for r in u.roles)
    assert set(roles) == set(shapes.ROLES)
    assert roles["LEARNER"] >= 2
    assert roles["EXPERT"] == 18
    for u in demo.USERS:
        assert len(u.password) >= 12, u.username
        assert u.password.startswith("beacon-demo-"), u.username
        assert u.organization_key is None or u.organization_key in demo.ORGANIZATIONS_BY_KEY
        assert u.username.isascii() and u.username == u.username.lower()
    for name in (
        demo.ADMIN_USERNAME,
        demo.EDITOR_USERNAME,
        demo.TEACHER_USERNAME,
        demo.LEARNER_USERNAME,
        demo.SECOND_LEARNER_USERNAME,
        demo.CLIENT_USERNAME,
    ):
        assert name in demo.USERS_BY_USERNAME


# ------------------------------------------------------------ consultations


def test_consultations():
    mine = [c for c in demo.CONSULTATIONS if c.client_username == demo.CLIENT_USERNAME]
    assert len(mine) >= 2
    assert "CLIENT" in demo.USERS_BY_USERNAME[demo.CLIENT_USERNAME].roles
    for c in demo.CONSULTATIONS:
        expert = demo.EXPERTS_BY_KEY[c.expert_key]
        assert expert.accepting_consultations, c.key
        assert c.subject.strip()
        assert c.messages and not c.messages[0].from_expert, c.key
        assert all(m.body.strip() for m in c.messages)
        assert c.status in shapes.CONSULTATION_STATUSES
        if c.status == "OPEN":
            assert not c.messages[-1].from_expert, c.key
        if c.status == "ANSWERED":
            assert c.messages[-1].from_expert, c.key
        if c.help_plan:
            assert c.help_plan.goals.strip() and c.help_plan.measures
            assert c.help_plan.follow_up_in_days > 0
            for m in c.help_plan.measures:
                assert isinstance(m, shapes.DemoHelpMeasure)
                assert m.description.strip() and isinstance(m.done, bool)
        if c.visit:
            assert c.visit.status in shapes.VISIT_STATUSES
            assert c.visit.location.strip()
    assert any(c.help_plan and c.visit and c.visit.status == "SCHEDULED" and c.visit.in_days > 0 for c in mine)


# ------------------------------------------------------------------ history


def _day_accuracy(history):
    per_day: dict[int, list[int]] = {}
    for a in history.attempts:
        counts = per_day.setdefault(a.days_ago, [0, 0])
        counts[0] += sum(v == "correct" for v in a.answers.values())
        counts[1] += len(a.answers)
    return {d: c / t for d, (c, t) in per_day.items()}


@pytest.mark.parametrize("history", demo.ATTEMPT_HISTORIES, ids=lambda h: h.username)
def test_history_references(history):
    user = demo.USERS_BY_USERNAME[history.username]
    assert "LEARNER" in user.roles
    days = [a.days_ago for a in history.attempts]
    assert days == sorted(days, reverse=True), "oldest first"
    per_quiz = Counter(a.quiz_key for a in history.attempts if a.quiz_key)
    wrong_so_far: set[str] = set()
    for a in history.attempts:
        assert a.answers and set(a.answers.values()) <= {"correct", "wrong"}
        for k in a.answers:
            assert k in demo.QUESTIONS_BY_KEY, k
        if a.quiz_key is None:
            assert set(a.answers) <= wrong_so_far, "practice only revisits wrong answers"
        else:
            quiz = demo.QUIZZES_BY_KEY[a.quiz_key]
            assert quiz.status == "PUBLISHED"
            if quiz.question_keys:
                assert tuple(a.answers) == quiz.question_keys
            else:
                assert len(a.answers) == quiz.draw_count
                assert all(demo.QUESTIONS_BY_KEY[k].bank_key == quiz.draw_from_bank_key for k in a.answers)
        wrong_so_far |= {k for k, v in a.answers.items() if v == "wrong"}
    for quiz_key, n in per_quiz.items():
        limit = demo.QUIZZES_BY_KEY[quiz_key].max_attempts
        assert limit is None or n <= limit, quiz_key


def test_main_learner_accuracy_rises_and_notebook_keeps_a_few():
    history = demo.ATTEMPT_HISTORY
    assert history.username == demo.LEARNER_USERNAME
    days = [a.days_ago for a in history.attempts]
    assert max(days) >= 18
    acc = _day_accuracy(history)
    first, last = acc[max(acc)], acc[min(acc)]
    assert 0.55 <= first <= 0.65, first
    assert last >= 0.93, last
    weeks = [[v for d, v in acc.items() if lo <= d < hi] for lo, hi in ((14, 99), (7, 14), (0, 7))]
    means = [sum(w) / len(w) for w in weeks]
    assert means == sorted(means), means
    latest: dict[str, str] = {}
    for a in history.attempts:
        latest.update(a.answers)
    notebook = {k for k, v in latest.items() if v == "wrong"}
    assert 2 <= len(notebook) <= 5, notebook
