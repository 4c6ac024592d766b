"""`publish --to s3://BUCKET/PREFIX [--endpoint-url URL]`: AWS S3, Cloudflare R2, MinIO,
SeaweedFS and the like, through boto3.

Credentials come from boto3's own chain only (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE,
~/.aws, an instance role), never from our command line or podcast.toml. A file goes up only when
its MD5 differs from the stored one: every object is one `put_object` (whose ETag is the MD5;
a multipart upload's is not) and carries its MD5 in its metadata too, for objects someone else
uploaded in parts. Media go first, then the manifest, the page and the feed last; objects the
show no longer has are deleted only once the new feed is up, so a publish that dies anywhere
leaves a feed whose every enclosure is there.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from ..errors import AudiogenError
from ..progress import Reporter
from . import Options, Outcome, Target, check_not_newer
from .site import FEED, MANIFEST, Site, cache_control, content_type, md5_of, plan

_MD5_ETAG = re.compile(r'^"?([0-9a-f]{32})"?$')
VERSION_KEY, SEEDS_KEY, MD5_KEY = "audiogen-version", "audiogen-seeds", "md5"


@dataclass(frozen=True)
class Stored:
    key: str
    etag: str
    size: int


class S3Target(Target):
    def __init__(self, text: str, bucket: str, prefix: str, endpoint_url: str | None):
        self.text, self.bucket, self.prefix, self.endpoint_url = text, bucket, prefix, endpoint_url

    @classmethod
    def parse(cls, text: str, endpoint_url: str | None) -> "S3Target":
        bucket, _, prefix = text[len("s3://"):].partition("/")
        if not re.fullmatch(r"[a-z0-9][a-z0-9.\-_]{1,254}", bucket):
            raise AudiogenError(f"publish target {text!r}: {bucket!r} is not a bucket name (s3://BUCKET/PREFIX)")
        parts = [p for p in prefix.split("/") if p]
        if any(p in (".", "..") for p in parts) or "\\" in prefix:
            raise AudiogenError(f"publish target {text!r}: the prefix must be a plain path inside the bucket")
        if endpoint_url is not None and not re.match(r"^https?://[^/\s]+", endpoint_url):
            raise AudiogenError(f"--endpoint-url must be an http(s) URL like https://ACCOUNT.r2.cloudflarestorage.com, "
                                f"got {endpoint_url!r}")
        return cls(text, bucket, "".join(p + "/" for p in parts), endpoint_url)

    def publish(self, site: Site, options: Options, ui: Reporter) -> Outcome:
        from botocore.exceptions import BotoCoreError, ClientError

        client = self._client()
        done: list[str] = []
        try:
            stored = self._list(client)
            if stored and self.prefix + MANIFEST not in stored and not options.force:
                raise AudiogenError(f"{self.text} holds objects that are no audiogen show (no manifest.json); "
                                    "publish to another prefix, or use --force to replace them")
            if self.prefix + MANIFEST in stored:
                meta = client.head_object(Bucket=self.bucket, Key=self.prefix + MANIFEST).get("Metadata", {})
                check_not_newer(meta.get(VERSION_KEY), options, self.text)
            local = {rel: md5_of(path) for rel, path in site.files.items()}
            remote = {key[len(self.prefix):]: self._md5(client, obj) for key, obj in stored.items()}
            steps = plan(local, remote)
            outcome = Outcome(self.text, uploaded=steps.upload, kept=len(steps.keep), deleted=steps.delete)
            if options.dry_run:
                return outcome
            metadata = {VERSION_KEY: options.version, **({SEEDS_KEY: options.seeds_commit} if options.seeds_commit else {})}
            with ui.progress("uploading", len(steps.upload)) as advance:
                for rel in steps.upload:
                    self._put(client, site, rel, local[rel], metadata)
                    done.append(rel)
                    advance(rel)
            for start in range(0, len(steps.delete), 1000):  # DeleteObjects takes at most 1000 keys
                batch = steps.delete[start:start + 1000]
                answer = client.delete_objects(Bucket=self.bucket, Delete={
                    "Objects": [{"Key": self.prefix + rel} for rel in batch], "Quiet": True})
                if answer.get("Errors"):
                    first = answer["Errors"][0]
                    raise AudiogenError(f"{self.text}: the new feed is up, but {first.get('Key')} could not be "
                                        f"deleted ({first.get('Code')}); publish again to retry")
            return outcome
        except (BotoCoreError, ClientError) as e:
            raise AudiogenError(f"{self.text}: {_said(e, self.endpoint_url)}; {_state(done)}") from None

    def _client(self):
        import boto3
        from botocore.config import Config

        settings = dict(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=60,
                        user_agent_extra="audiogen")
        if self.endpoint_url:
            # R2, MinIO, SeaweedFS: bucket in the path, and no checksums these servers may not know
            settings.update(s3={"addressing_style": "path"}, request_checksum_calculation="when_required",
                            response_checksum_validation="when_required")
        try:
            return boto3.session.Session().client("s3", endpoint_url=self.endpoint_url, config=Config(**settings))
        except Exception as e:  # a broken profile, an unknown region
            raise AudiogenError(f"{self.text}: cannot set up S3: {e}") from None

    def _list(self, client) -> dict[str, Stored]:
        stored = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for obj in page.get("Contents", []):
                if obj["Key"].endswith("/"):  # a "folder" a web console made: no file of ours
                    continue
                stored[obj["Key"]] = Stored(obj["Key"], obj.get("ETag", ""), obj.get("Size", 0))
        return stored

    def _md5(self, client, obj: Stored) -> str | None:
        """The stored object's MD5: its ETag when that is one, else what its metadata says."""
        match = _MD5_ETAG.match(obj.etag)
        if match:
            return match.group(1)
        return client.head_object(Bucket=self.bucket, Key=obj.key).get("Metadata", {}).get(MD5_KEY)

    def _put(self, client, site: Site, rel: str, md5: str, metadata: dict[str, str]) -> None:
        with site.files[rel].open("rb") as body:
            client.put_object(Bucket=self.bucket, Key=self.prefix + rel, Body=body,
                              ContentMD5=base64.b64encode(bytes.fromhex(md5)).decode("ascii"),
                              ContentType=content_type(rel), CacheControl=cache_control(rel),
                              Metadata={**metadata, MD5_KEY: md5})


def _said(e: Exception, endpoint_url: str | None) -> str:
    """What went wrong, in the user's terms."""
    from botocore import exceptions as bx

    if isinstance(e, bx.NoCredentialsError):
        return ("no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                "(audiogen never takes keys on its command line or in podcast.toml)")
    if isinstance(e, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        return f"cannot reach the S3 endpoint {endpoint_url or 'of AWS'} ({e})"
    if isinstance(e, bx.ClientError):
        error = e.response.get("Error", {})
        code = error.get("Code", "")
        if code == "NoSuchBucket":
            return f"the bucket {error.get('BucketName') or ''} does not exist".replace("  ", " ")
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"):
            return f"the S3 credentials were refused ({code}): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_PROFILE"
        if code in ("AccessDenied", "403"):
            return "access denied: these credentials may not list, read and write this bucket"
        return f"S3 said {code or 'no'}: {error.get('Message') or e}"
    if isinstance(e, bx.BotoCoreError):
        return str(e)
    return f"{type(e).__name__}: {e}"


def _state(done: list[str]) -> str:
    if not done:
        return "nothing was uploaded"
    if FEED in done:
        return "the new feed is up and complete; files it no longer names are left over: publish again"
    return (f"{len(done)} file(s) uploaded before it stopped, the feed not yet: listeners still get the "
            "previous feed, complete")
