"""The bench's own pieces that are cheap to check: wrk output, wrk scripts, nginx config, the dataset at a tiny scale."""

from __future__ import annotations

from pathlib import Path

from bench import dataset
from bench.load import lua_script, parse_wrk
from bench.scenarios import LESSONS_PAGE, SUBMIT_ATTEMPT, graphql_post, submit_scenario
from bench.servers import render_nginx_conf
from media.sniff import MP4, sniff
from models.consultations import Consultation, ConsultationMessage
from models.content import ContentItem, MediaAsset
from models.quizzes import Attempt, AttemptItem, Question, Quiz
from tests.consultation_factories import expert
from tests.helpers import GraphQLClient

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:41234/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.93ms    4.04ms  48.36ms   81.55%
    Req/Sec     1.48k   102.33     1.63k    73.33%
  Latency Distribution
     50%    9.98ms
     75%   12.01ms
     90%   15.63ms
     99%    1.02s
  4423 requests in 3.00s, 4.32GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:   1472.35
Transfer/sec:      1.44GB
"""

LESSONS = """{ lessons(first: 20, filter: {audience: MIDDLE_SCHOOL}) { edges { node { id title tags { slug } coverImage { url variantUrl(width: 480) } media { url } } } } }"""
VIEWER = "{ viewer { user { username } } }"


def test_wrk_report_is_read_with_units() -> None:
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 1472.35
    assert result.p50_ms == 9.98
    assert result.p99_ms == 1020.0
    assert (result.requests, result.non_2xx, result.errors) == (4423, 7, 3)


def test_wrk_script_rotates_requests_and_quotes_bodies_safely() -> None:
    body_with_brackets = 'mutation { x(s: "]]") }'
    script = lua_script([graphql_post(body_with_brackets, token="t1"), graphql_post(LESSONS_PAGE)])
    assert script.count("[===[POST]===]") == 2
    assert "[ [===[Authorization]===] ] = [===[Bearer t1]===]" in script
    assert "n = n % #requests + 1" in script


def test_nginx_config_gets_bench_ports_and_paths(tmp_path: Path) -> None:
    template = (Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf").read_text()
    conf = render_nginx_conf(
        template, upstreams=["http://127.0.0.1:9001"], port=9100, prefix=tmp_path, media_root=tmp_path / "m"
    )
    assert "server 127.0.0.1:9001;" in conf and "127.0.0.1:8001" not in conf and "127.0.0.1:8002" not in conf
    assert "listen 127.0.0.1:9100;" in conf and "/run/beacon-nginx" not in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf


def test_bench_video_sniffs_as_mp4() -> None:
    data = dataset.mp4_bytes(2 * 1024 * 1024)
    assert len(data) == 2 * 1024 * 1024
    assert sniff(data[:64]) == MP4


def test_counts_scale_down_but_keep_a_full_quiz() -> None:
    tiny = dataset.counts(0.001)
    assert tiny.questions >= dataset.QUIZ_SIZE and tiny.learners >= 1
    county = dataset.counts(1.0)
    assert (county.lessons + county.stories, county.questions, county.learners, county.clients) == (
        3000,
        10000,
        5000,
        500,
    )


async def test_tiny_dataset_loads_and_its_tokens_and_attempts_work(db: str, data_dir: Path, gql: GraphQLClient) -> None:
    await expert("bench-test-expert")
    manifest = await dataset.load(data_dir / "media", scale=0.004)
    size = dataset.counts(0.004)
    assert await ContentItem.filter(slug__startswith="bench-").count() == size.lessons + size.stories
    assert await Question.filter(stem__startswith="Bench question").count() == size.questions
    assert await Quiz.filter(title__startswith="Bench quiz").count() == size.quizzes
    assert await Attempt.filter(user_id__in=manifest.learner_ids).count() == size.learners * size.attempts_per_learner
    assert await Consultation.filter(client_id__isnull=False).count() == size.clients
    assert await ConsultationMessage.all().count() == size.clients * size.messages_per_consultation
    assert await MediaAsset.filter(byte_size=dataset.VIDEO_BYTES).count() == 1

    viewer = await gql.ok(VIEWER, token=manifest.learner_tokens[0])
    assert viewer["viewer"]["user"]["username"] == "bench-learner-0"
    page = await gql.ok(LESSONS)
    assert page["lessons"]["edges"] and page["lessons"]["edges"][0]["node"]["coverImage"]["variantUrl"]

    pool = await dataset.open_attempts(manifest, 2)
    request = submit_scenario(pool).requests[0]
    token, attempt_id, answers = pool[0]
    import json

    variables = json.loads(request.body)["variables"]
    graded = await gql.ok(SUBMIT_ATTEMPT, variables, token=token)
    attempt = graded["submitQuizAttempt"]["attempt"]
    assert attempt["status"] == "SUBMITTED" and attempt["correctCount"] == len(answers)
    assert await AttemptItem.filter(attempt_id=attempt_id, correct=None).count() == 0
