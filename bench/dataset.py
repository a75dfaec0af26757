"""A county's worth of data, inserted in bulk (never through the GraphQL API).

Counts at scale 1.0 follow issue 7: 2,000 lessons and 1,000 stories with tags, covers
(real drawn images) and media; 10,000 questions in 20 banks, 200 quizzes of 20; 5,000
learners with two graded attempts each; 500 clients with 500 consultations (6 messages
each) spread over the 18 demo experts. Run after `beacon migrate` and `beacon seed-demo`.

Every bench user has a bearer token derived from its username (`bench-token-<username>`),
so the load scripts sign in without the (deliberately slow) password check.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import struct
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from media import generate
from media.storage import MediaStorage
from models.accounts import AuthToken, Organization, User
from models.base import Audience, OrganizationKind, PublicationStatus
from models.consultations import (
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    ExpertProfile,
    PrivacyConsent,
    PrivacyNotice,
)
from models.content import (
    ContentItem,
    ContentMedia,
    ContentTag,
    ContentType,
    LessonSection,
    MediaAsset,
    StoryKind,
    Tag,
)
from models.quizzes import (
    Attempt,
    AttemptItem,
    AttemptKind,
    AttemptStatus,
    Difficulty,
    Question,
    QuestionBank,
    QuestionOption,
    QuestionType,
    Quiz,
    QuizQuestion,
)
from resolvers.consultations import sealed

BATCH = 1000
VIDEO_BYTES = 20 * 1024 * 1024
QUIZ_SIZE = 20
AUDIENCES = [a.value for a in Audience]
_SEED = 20250626


@dataclass(frozen=True)
class Counts:
    lessons: int
    stories: int
    tags: int
    banks: int
    questions: int
    quizzes: int
    learners: int
    attempts_per_learner: int
    clients: int
    messages_per_consultation: int
    schools: int
    towns: int


def counts(scale: float) -> Counts:
    """The dataset's size at a scale factor (1.0 is the county of issue 7)."""

    def n(base: int) -> int:
        return max(1, round(base * scale))

    return Counts(
        lessons=n(2000),
        stories=n(1000),
        tags=min(60, n(60)),
        banks=n(20),
        questions=max(QUIZ_SIZE, n(10000)),
        quizzes=n(200),
        learners=n(5000),
        attempts_per_learner=2,
        clients=n(500),
        messages_per_consultation=6,
        schools=min(64, n(64)),
        towns=min(22, n(22)),
    )


@dataclass
class Manifest:
    """What the load scripts need to know about the loaded data."""

    scale: float
    learner_tokens: list[str] = field(default_factory=list)
    learner_ids: list[int] = field(default_factory=list)
    client_tokens: list[str] = field(default_factory=list)
    expert_tokens: list[str] = field(default_factory=list)
    # (consultation id, client token index, expert token index)
    consultations: list[tuple[int, int, int]] = field(default_factory=list)
    quiz_ids: list[int] = field(default_factory=list)
    video: dict[str, Any] = field(default_factory=dict)
    images: list[str] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text()))


def token_for(username: str) -> str:
    return f"bench-token-{username}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mp4_bytes(size: int) -> bytes:
    """A file that sniffs as MP4: an ftyp box (isom, mp41) and one mdat box of padding."""
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 512, b"isom", b"mp41")
    mdat_size = size - len(ftyp)
    pattern = bytes(range(256)) * 4096  # 1 MiB, not all zeros so compression can't cheat
    body = (pattern * (mdat_size // len(pattern) + 1))[: mdat_size - 8]
    return ftyp + struct.pack(">I4s", mdat_size, b"mdat") + body


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _store(storage: MediaStorage, data: bytes, title: str) -> MediaAsset:
    stored = await storage.save_stream(_one(data), max_bytes=len(data) + 1)
    existing = await MediaAsset.filter(sha256=stored.sha256, is_private=False).first()
    if existing is not None:
        return existing
    return await MediaAsset.create(
        kind=stored.kind,
        mime_type=stored.mime_type,
        extension=stored.extension,
        byte_size=stored.byte_size,
        sha256=stored.sha256,
        title=title,
        alt_text=f"{title} (bench)",
        width=stored.width,
        height=stored.height,
        duration_seconds=stored.duration_seconds,
    )


async def _bulk(model: Any, rows: Sequence[Any]) -> None:
    for start in range(0, len(rows), BATCH):
        await model.bulk_create(rows[start : start + BATCH])


async def _ids(model: Any, **filters: Any) -> list[int]:
    return list(await model.filter(**filters).order_by("id").values_list("id", flat=True))


async def load(media_dir: Path, scale: float = 1.0) -> Manifest:
    """Insert the dataset into the open database; return its manifest."""
    rng = random.Random(_SEED)
    size = counts(scale)
    manifest = Manifest(scale=scale)
    now = datetime.now(UTC)
    far = now + timedelta(days=365)

    # -- organizations and people
    orgs = [
        Organization(name=f"Bench school {i + 1}", kind=OrganizationKind.SCHOOL, region="Bench county")
        for i in range(size.schools)
    ]
    orgs += [
        Organization(name=f"Bench town {i + 1}", kind=OrganizationKind.COMMUNITY, region="Bench county")
        for i in range(size.towns)
    ]
    await _bulk(Organization, orgs)
    school_ids = await _ids(Organization, name__startswith="Bench school")
    town_ids = await _ids(Organization, name__startswith="Bench town")
    password_hash = "$argon2id$v=19$m=8,t=1,p=1$YmVuY2hiZW5jaA$disabled"  # never verifies: bench users use tokens  # noqa: S105 a hash that never verifies, not a secret
    users = [
        User(
            username=f"bench-learner-{i}",
            username_key=f"bench-learner-{i}",
            display_name=f"学生{i}",
            password_hash=password_hash,
            roles=["LEARNER"],
            organization_id=school_ids[i % len(school_ids)],
        )
        for i in range(size.learners)
    ]
    users += [
        User(
            username=f"bench-client-{i}",
            username_key=f"bench-client-{i}",
            display_name=f"学员{i}",
            password_hash=password_hash,
            roles=["CLIENT"],
            organization_id=town_ids[i % len(town_ids)],
        )
        for i in range(size.clients)
    ]
    users.append(
        User(
            username="bench-editor",
            username_key="bench-editor",
            display_name="Bench editor",
            password_hash=password_hash,
            roles=["EDITOR"],
        )
    )
    await _bulk(User, users)
    by_name = dict(await User.filter(username__startswith="bench-").values_list("username", "id"))
    learner_ids = [by_name[f"bench-learner-{i}"] for i in range(size.learners)]
    client_ids = [by_name[f"bench-client-{i}"] for i in range(size.clients)]
    editor_id = by_name["bench-editor"]
    experts = await ExpertProfile.all().order_by("id").values("id", "user_id", "display_name")
    tokens = [
        AuthToken(token_hash=_digest(token_for(name)), user_id=uid, expires_at=far) for name, uid in by_name.items()
    ]
    tokens += [
        AuthToken(token_hash=_digest(token_for(f"expert-{e['user_id']}")), user_id=e["user_id"], expires_at=far)
        for e in experts
    ]
    await _bulk(AuthToken, tokens)
    manifest.learner_tokens = [token_for(f"bench-learner-{i}") for i in range(size.learners)]
    manifest.learner_ids = learner_ids
    manifest.client_tokens = [token_for(f"bench-client-{i}") for i in range(size.clients)]
    manifest.expert_tokens = [token_for(f"expert-{e['user_id']}") for e in experts]

    # -- media: real drawn images, a short sound, a 20 MB video
    storage = MediaStorage(media_dir)
    images = [
        await _store(
            storage,
            generate.poster_png(f"禁毒课堂 {i + 1}", "Bench county cover", width=960, height=640, palette=i),
            f"Bench cover {i + 1}",
        )
        for i in range(6)
    ]
    sound = await _store(storage, generate.tone_wav(2.0), "Bench chime")
    video = await _store(storage, mp4_bytes(VIDEO_BYTES), "Bench video")
    manifest.images = [f"/media/{a.sha256}{a.extension}" for a in images]
    manifest.video = {"path": f"/media/{video.sha256}{video.extension}", "bytes": video.byte_size}

    # -- tags, lessons and stories
    await _bulk(Tag, [Tag(slug=f"bench-tag-{i}", name=f"主题{i}") for i in range(size.tags)])
    tag_ids = await _ids(Tag, slug__startswith="bench-tag-")
    items: list[ContentItem] = []
    sections, kinds = list(LessonSection), list(StoryKind)
    for content_type, total in ((ContentType.LESSON, size.lessons), (ContentType.STORY, size.stories)):
        for i in range(total):
            audiences = sorted(rng.sample(AUDIENCES, 2))
            published = i % 10 != 0  # one in ten stays a draft
            body = f"第{i}课：识别毒品，远离危害。" * 20
            items.append(
                ContentItem(
                    content_type=content_type,
                    slug=f"bench-{content_type.value.lower()}-{i}",
                    title=f"{'禁毒课' if content_type == ContentType.LESSON else '听我说'} {i}：珍爱生命",
                    summary="A bench item: what drugs do, how to refuse, where to get help.",
                    body=body,
                    body_html=f"<p>{body}</p>",
                    audiences=audiences,
                    audience_key="|" + "|".join(audiences) + "|",
                    status=PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT,
                    published_at=now - timedelta(minutes=total - i) if published else None,
                    cover_image_id=images[i % len(images)].id,
                    section=sections[i % len(sections)] if content_type == ContentType.LESSON else None,
                    kind=kinds[i % len(kinds)] if content_type == ContentType.STORY else None,
                    narrator="Bench narrator" if content_type == ContentType.STORY else None,
                    estimated_minutes=5 + i % 30,
                    learner_count=rng.randint(0, 500),
                    created_by_id=editor_id,
                )
            )
    await _bulk(ContentItem, items)
    item_ids = await _ids(ContentItem, slug__startswith="bench-")
    links = [
        ContentTag(content_id=cid, tag_id=tid) for cid in item_ids for tid in rng.sample(tag_ids, min(3, len(tag_ids)))
    ]
    await _bulk(ContentTag, links)
    media_links = [
        ContentMedia(content_id=cid, media_id=mid, position=p)
        for cid in item_ids
        for p, mid in enumerate((images[cid % len(images)].id, (video if cid % 2 else sound).id))
    ]
    await _bulk(ContentMedia, media_links)

    # -- banks, questions, options, quizzes
    await _bulk(
        QuestionBank, [QuestionBank(name=f"Bench bank {i + 1}", created_by_id=editor_id) for i in range(size.banks)]
    )
    bank_ids = await _ids(QuestionBank, name__startswith="Bench bank")
    questions = []
    for i in range(size.questions):
        kind = (
            QuestionType.SINGLE_CHOICE,
            QuestionType.SINGLE_CHOICE,
            QuestionType.MULTIPLE_CHOICE,
            QuestionType.TRUE_FALSE,
        )[i % 4]
        questions.append(
            Question(
                bank_id=bank_ids[i % len(bank_ids)],
                position=i // len(bank_ids),
                type=kind,
                stem=f"Bench question {i}: 以下哪一项是毒品的危害？",
                explanation="Because the bench says so.",
                difficulty=list(Difficulty)[i % 3],
                audiences=[AUDIENCES[i % len(AUDIENCES)]],
                tags=["bench"],
            )
        )
    await _bulk(Question, questions)
    question_rows = await Question.filter(stem__startswith="Bench question").order_by("id").values_list("id", "type")
    options = []
    correct_by_question: dict[int, list[str]] = {}
    for qid, qtype in question_rows:
        texts = (
            ["正确", "错误"]
            if qtype == QuestionType.TRUE_FALSE
            else ["A 伤害身体", "B 没有影响", "C 增强记忆", "D 损害家庭"]
        )
        right = {0} if qtype != QuestionType.MULTIPLE_CHOICE else {0, 3}
        order = list(range(len(texts)))
        rng.shuffle(order)  # rows in shuffled order, as the real service stores them
        for display, key in enumerate(order):
            token = secrets.token_hex(12)
            options.append(
                QuestionOption(
                    question_id=qid,
                    token=token,
                    text=texts[key],
                    correct=key in right,
                    key_position=key,
                    display_position=display,
                )
            )
            if key in right:
                correct_by_question.setdefault(qid, []).append(token)
    await _bulk(QuestionOption, options)
    question_ids = [qid for qid, _ in question_rows]
    quizzes = [
        Quiz(
            title=f"Bench quiz {i + 1}",
            description="Twenty questions on prevention.",
            audiences=[AUDIENCES[i % len(AUDIENCES)]],
            status=PublicationStatus.PUBLISHED,
            time_limit_seconds=1800,
            created_by_id=editor_id,
        )
        for i in range(size.quizzes)
    ]
    await _bulk(Quiz, quizzes)
    quiz_ids = await _ids(Quiz, title__startswith="Bench quiz")
    fixed = [
        QuizQuestion(quiz_id=quiz_id, question_id=question_ids[(q * QUIZ_SIZE + p) % len(question_ids)], position=p + 1)
        for q, quiz_id in enumerate(quiz_ids)
        for p in range(QUIZ_SIZE)
    ]
    await _bulk(QuizQuestion, fixed)
    manifest.quiz_ids = quiz_ids

    # -- attempt history: graded attempts of earlier quizzes
    quiz_questions: dict[int, list[int]] = {}
    for link in fixed:
        quiz_questions.setdefault(link.quiz_id, []).append(link.question_id)
    history_quizzes = quiz_ids[len(quiz_ids) // 2 :] or quiz_ids  # the peak and scenarios use the first half
    attempts = []
    for n, uid in enumerate(learner_ids):
        for k in range(size.attempts_per_learner):
            quiz_id = history_quizzes[(n + k) % len(history_quizzes)]
            right = rng.randint(8, QUIZ_SIZE)
            started = now - timedelta(days=30 - k, minutes=n % 600)
            attempts.append(
                Attempt(
                    user_id=uid,
                    quiz_id=quiz_id,
                    kind=AttemptKind.QUIZ,
                    status=AttemptStatus.SUBMITTED,
                    started_at=started,
                    submitted_at=started + timedelta(minutes=12),
                    total_count=QUIZ_SIZE,
                    correct_count=right,
                    score=right / QUIZ_SIZE,
                    passed=right >= 12,
                )
            )
    await _bulk(Attempt, attempts)
    attempt_rows = (
        await Attempt.filter(user_id__in=learner_ids)
        .order_by("id")
        .values_list("id", "user_id", "quiz_id", "correct_count")
    )
    history_items = []
    for attempt_id, uid, quiz_id, right in attempt_rows:
        for p, qid in enumerate(quiz_questions[quiz_id]):
            ok = p < right
            picked = correct_by_question[qid][:1] if ok else []
            history_items.append(
                AttemptItem(
                    attempt_id=attempt_id,
                    user_id=uid,
                    question_id=qid,
                    position=p + 1,
                    option_order=[],
                    target_order=[],
                    answer={"selected": picked},
                    answered_at=now - timedelta(days=1),
                    first_seen=True,
                    correct=ok,
                )
            )
    await _bulk(AttemptItem, history_items)

    # -- consultations: consent, threads, messages
    notice = await PrivacyNotice.all().order_by("-version").first()
    if notice is not None:
        await _bulk(
            PrivacyConsent,
            [
                PrivacyConsent(user_id=cid, version=notice.version, accepted_at=now - timedelta(days=60))
                for cid in client_ids
            ],
        )
    if experts:
        threads = [
            Consultation(
                client_id=cid,
                expert_id=experts[i % len(experts)]["id"],
                expert_user_id=experts[i % len(experts)]["user_id"],
                client_display_name=f"学员{i}",
                subject=f"Bench question {i}",
                status=ConsultationStatus.ANSWERED,
                last_message_at=now - timedelta(hours=i % 48),
            )
            for i, cid in enumerate(client_ids)
        ]
        await _bulk(Consultation, threads)
        thread_rows = (
            await Consultation.filter(client_id__in=client_ids)
            .order_by("id")
            .values_list("id", "client_id", "expert_user_id", "expert_id")
        )
        expert_index = {e["user_id"]: i for i, e in enumerate(experts)}
        expert_names = {e["user_id"]: e["display_name"] for e in experts}
        messages = []
        for i, (tid, cid, euid, _) in enumerate(thread_rows):
            for m in range(size.messages_per_consultation):
                from_expert = m % 2 == 1
                messages.append(
                    ConsultationMessage(
                        consultation_id=tid,
                        author_id=euid if from_expert else cid,
                        from_expert=from_expert,
                        author_name=expert_names[euid] if from_expert else f"学员{i}",
                        body=sealed.seal(f"Bench message {m} 我需要帮助。", sealed.MESSAGE_BODY),
                        sent_at=now - timedelta(days=7, minutes=-m),
                        read_at=now - timedelta(days=6),
                    )
                )
            manifest.consultations.append((tid, client_ids.index(cid), expert_index[euid]))
        await _bulk(ConsultationMessage, messages)
    return manifest


def _cache_key(scale: float) -> str:
    """Changes when the loading code or any migration changes."""
    import inspect

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(
        (inspect.getsource(load) + inspect.getsource(counts) + inspect.getsource(mp4_bytes)).encode()
    )
    for path in sorted((root / "migrations").rglob("*.py")):
        digest.update(path.read_bytes())
    return f"{scale:g}-{digest.hexdigest()[:12]}"


def prepare(data_dir: Path, database_url: str, scale: float, *, cache: bool = True) -> Manifest:
    """Migrate, seed the demo, load the dataset into database_url (media under data_dir).

    SQLite datasets are built once per code version under bench/results/ and copied.
    """
    import asyncio
    import os
    import shutil
    import subprocess
    import sys

    from models.database import close_database, open_database

    root = Path(__file__).resolve().parent.parent
    sqlite = database_url.startswith("sqlite://")
    cached = root / "bench" / "results" / f"dataset-{_cache_key(scale)}"
    if sqlite and cache and (cached / "manifest.json").exists():
        shutil.copytree(cached, data_dir, dirs_exist_ok=True)
        return Manifest.load(data_dir / "manifest.json")
    build_dir = cached.with_suffix(".building") if sqlite and cache else data_dir
    shutil.rmtree(build_dir, ignore_errors=True) if build_dir != data_dir else None
    build_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite://{build_dir}/bench.sqlite3" if sqlite else database_url
    env = {**os.environ, "BEACON_DATA_DIR": str(build_dir), "BEACON_DATABASE_URL": url}
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "cli", *command], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL
        )

    async def fill() -> Manifest:
        from resolvers import vault
        from settings import load_settings

        vault.configure(load_settings(env).data_keys)  # the key the CLI sealed the demo under
        await open_database(url)
        try:
            return await load(build_dir / "media", scale)
        finally:
            await close_database()

    manifest = asyncio.run(fill())
    manifest.save(build_dir / "manifest.json")
    if build_dir != data_dir:
        shutil.rmtree(cached, ignore_errors=True)
        build_dir.rename(cached)
        shutil.copytree(cached, data_dir, dirs_exist_ok=True)
    return manifest


if __name__ == "__main__":  # python -m bench.dataset [scale]: build (or reuse) the cached SQLite dataset
    import sys
    import tempfile
    import time

    began = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        m = prepare(Path(tmp), f"sqlite://{tmp}/bench.sqlite3", float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
    print(
        f"dataset ready in {time.monotonic() - began:.1f}s: {len(m.learner_tokens)} learners, {len(m.quiz_ids)} quizzes, {len(m.consultations)} consultations"
    )


async def open_attempts(
    manifest: Manifest, count: int, *, quizzes: Sequence[int] | None = None
) -> list[tuple[str, int, list[tuple[int, list[str]]]]]:
    """Open `count` attempts for (learner, quiz) pairs in bulk; return (token, attempt id, right answers).

    What startQuizAttempt would have written (unshuffled options), so a submit pool needs no HTTP.
    """
    quiz_pool = list(quizzes or manifest.quiz_ids[len(manifest.quiz_ids) // 2 :] or manifest.quiz_ids)
    learners = list(zip(manifest.learner_tokens, manifest.learner_ids, strict=True))
    pairs = [(learners[i % len(learners)], quiz_pool[i // len(learners) % len(quiz_pool)]) for i in range(count)]
    links = (
        await QuizQuestion.filter(quiz_id__in=quiz_pool)
        .order_by("quiz_id", "position")
        .values_list("quiz_id", "question_id")
    )
    by_quiz: dict[int, list[int]] = {}
    for quiz_id, qid in links:
        by_quiz.setdefault(quiz_id, []).append(qid)
    question_ids = sorted({qid for qids in by_quiz.values() for qid in qids})
    options: dict[int, list[tuple[str, bool]]] = {}
    for qid, token, correct in (
        await QuestionOption.filter(question_id__in=question_ids)
        .order_by("display_position")
        .values_list("question_id", "token", "correct")
    ):
        options.setdefault(qid, []).append((token, correct))
    started = datetime.now(UTC)
    marker = started - timedelta(microseconds=started.microsecond)  # a shared start time identifies this batch
    await _bulk(
        Attempt,
        [
            Attempt(
                user_id=uid,
                quiz_id=quiz_id,
                kind=AttemptKind.QUIZ,
                status=AttemptStatus.IN_PROGRESS,
                started_at=marker,
                deadline=marker + timedelta(hours=2),
                total_count=len(by_quiz[quiz_id]),
            )
            for (_, uid), quiz_id in pairs
        ],
    )
    rows = (
        await Attempt.filter(started_at=marker, status=AttemptStatus.IN_PROGRESS)
        .order_by("id")
        .values_list("id", "user_id", "quiz_id")
    )
    ids = {(uid, quiz_id): aid for aid, uid, quiz_id in rows}
    items = []
    result = []
    for (token, uid), quiz_id in pairs:
        aid = ids[(uid, quiz_id)]
        answers = []
        for p, qid in enumerate(by_quiz[quiz_id]):
            items.append(
                AttemptItem(
                    attempt_id=aid,
                    user_id=uid,
                    question_id=qid,
                    position=p + 1,
                    option_order=[t for t, _ in options[qid]],
                    target_order=[],
                    first_seen=False,
                )
            )
            answers.append((qid, [t for t, ok in options[qid] if ok]))
        result.append((token, aid, answers))
    await _bulk(AttemptItem, items)
    return result
