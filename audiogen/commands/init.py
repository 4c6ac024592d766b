"""`audiogen init`: write a commented podcast.toml, or (--github-actions) the CI workflow."""

from __future__ import annotations

from pathlib import Path

from ..errors import AudiogenError

TEMPLATE = '''\
# podcast.toml: settings for audiogen. Every key is optional; the values shown are the defaults.
# Paths are relative to this file.

[show]
title = "audiogen lessons"
description = "Bilingual Korean-English lessons made from articles."
author = "audiogen"
email = "podcast@example.com"          # Apple shows it as the owner's address
language = "ko"                          # the narration's language: ko or en
base_url = "http://127.0.0.1:8000/"      # where the output folder is served (absolute URL)
category = "Education"
subcategory = "Language Learning"
cover = ""                               # your square JPEG/PNG, 1400-3000 px; generated when empty
explicit = false
locked = false                           # true asks other platforms not to import the feed
seeds = []                               # seed files or folders; empty: ./seeds/

[lesson]
pause_factor = 1.0      # scales every repeat-after pause
slow_speed = 0.85       # the slow pass of each key sentence
chunks = true           # practise long sentences in phrases first
chunk_words = 7         # sentences longer than this are chunked
max_minutes = 6.0       # long sections are condensed to keep an episode near this
review_every = 3        # a review episode closes a seed (when another follows) after this many lessons; 0: none
edits = "edits"         # folder of hand-edited scripts (audiogen script writes them)

[voices]
ko = ""                 # Korean: "engine:voice" (edge:ko-KR-SunHiNeural), "engine" (espeak) or ""
en = ""                 # English: e.g. "piper", "edge:en-US-JennyNeural", "espeak:en-gb"; "" = [build] engine's
en2 = ""                # model sentences' voice; "" = the English engine's second voice, if it has one
tld = "com"             # gTTS English accent: com, co.uk, com.au, co.in, ...

[audio]
sample_rate = 44100
bitrate = "96k"
loudness = -16.0        # LUFS, integrated (Apple's target)
true_peak = -1.5        # dBTP ceiling
gap = 0.35              # seconds between spoken lines
part_gap = 0.9          # seconds between parts of a lesson
intro = ""              # your own intro sting (any audio file); generated when empty
outro = ""
music = ""              # an optional music bed, ducked under the voice
music_db = -24.0

[build]
engine = "auto"         # auto (per language: edge, gtts, else piper/espeak offline), edge, gtts, piper, espeak
concurrency = 4         # online engines: requests in flight
retries = 5
timeout = 10.0

[study]
deck = true             # an Anki deck (deck-....apkg) of every term and key sentence, linked from the page

[publish]
to = ""                 # where `audiogen publish` and `build --publish` send the output:
                        # "gh-pages" (this repository's origin), "git+URL#BRANCH" or "s3://BUCKET/PREFIX"
endpoint_url = ""       # s3:// on R2, MinIO, SeaweedFS...: the service's URL. Keys never go here:
                        # set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE

[teacher]
# Meanings for what the seed leaves untranslated, marked as machine-made. auto: the language model
# below when url and model are set, else Google's translator when it answers, else none; llm,
# translator, off. The model's key, if it needs one, only in the AUDIOGEN_API_KEY environment variable.
engine = "auto"
url = ""                # an OpenAI-compatible address, e.g. Ollama's "http://127.0.0.1:11434/v1"
model = ""              # e.g. "exaone3.5:7.8b" or "qwen2.5:7b"
timeout = 30.0          # seconds one question may take
budget = 600.0          # seconds all of a build's questions may take

[feed]
corrections = "republish"  # an edited lesson: "republish" (a new episode titled (수정본), so apps that
                           # downloaded the old one get the correction) or "update" (same episode, new audio)
'''


def run(args) -> int:
    if args.github_actions:
        return write_workflow(Path.cwd())
    if args.path.exists():
        raise AudiogenError(f"{args.path} already exists; not overwriting it")
    args.path.write_text(TEMPLATE, encoding="utf-8")
    print(f"wrote {args.path}: edit the [show] table, then run audiogen build")
    return 0


def write_workflow(repo: Path) -> int:
    from ..deploy import github_actions

    target = repo / github_actions.WORKFLOW_PATH
    if target.exists():
        raise AudiogenError(f"{github_actions.WORKFLOW_PATH} already exists; not overwriting it")
    made = github_actions.workflow(repo)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(made.text, encoding="utf-8")
    print(f"wrote {github_actions.WORKFLOW_PATH}: commit it, and in the repository's Settings > Pages "
          "choose Source: GitHub Actions; every push then builds and publishes the show")
    if not made.reachable:
        print("note: this audiogen was not installed from a git URL, so the workflow's 'Install audiogen' step "
              "says `pip install .`; change it to where CI can get audiogen (e.g. 'audiogen @ git+https://...')")
    return 0
