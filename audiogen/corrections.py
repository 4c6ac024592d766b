"""Corrections that reach listeners: when an episode's own content is edited, what its feed item becomes.

A podcast app knows an episode by its GUID. Under `[feed] corrections = "update"` an edited
episode keeps it: apps that stream play the new audio, but one that downloaded the episode keeps
the old file for good (gPodder downloads nothing, even asked). Under "republish" (the default) the
edited episode gets a new GUID, derived from its seed, its section and its revision, and a title
that says it was corrected; the old item leaves the feed, so every app fetches the corrected lesson
as one new episode and lists it once.

Only an edit of the episode's *own content* counts: the author's words of its section (paragraphs,
notes, key sentences with the author's meanings, declared vocabulary), or of its intro and outro
for a trailer, or its hand-edited script. A heading is not: a typo fixed there teaches nothing
wrong, and apps update a title in place. A re-render because a neighbour changed
(a recall or a preview of another lesson's sentence), a changed voice or setting, a new audiogen
version, or a machine-made meaning is not a correction of this episode and keeps its GUID. The
revision (how many times that content was edited) and the content's digest are kept in
manifest.json, so they survive rebuilds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from dataclasses import dataclass

from .lesson.writer import GUID_NAMESPACE
from .model import Episode, Lesson, Line, Script, Section

# Korean, as the feed is (its language is ko, a trailer is "(예고편)"): 수정본 is what Korean
# documents and apps call a corrected version, so a learner sees at once why the lesson is back.
CORRECTED_MARK = "(수정본)"


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def section_content(sections: list[Section]) -> list:
    """What the author wrote in these sections, as plain data.

    The heading is left out (a fixed typo there keeps the GUID; the title is updated in place).
    Meanings a machine made (source teacher, translator, article) are left out: they are not the
    author's words and may change without anyone editing the seed. A term glossed inline
    (`한국어(English)`) is already in its paragraph's text, so only declared vocabulary is added:
    how the reader picks terms out of a paragraph may improve from one version to the next.
    """
    data = []
    for s in sections:
        text = " ".join(s.paragraphs + s.notes)
        data.append({
            "paragraphs": [_squash(p) for p in s.paragraphs],
            "notes": [_squash(n) for n in s.notes],
            "quotes": [[_squash(q.english), _squash(q.korean) if q.source == "author" else ""] for q in s.quotes],
            "vocabulary": [[_squash(t.english), _squash(t.korean) if t.source == "author" else ""]
                           for t in s.terms if f"({t.english})" not in text],
        })
    return data


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# A content digest names what it is a digest of, and by which definition: "seed-1:" the author's
# words in the seed (a generated script), "script-1:" what a script says of its own (a hand-edited
# one). "" is no content of its own (a generated review) or a manifest from before corrections.
# Change the number whenever the definition changes: a digest made by another definition is never
# compared, it becomes the baseline, so a new audiogen never republishes a show by itself.
SEED_CONTENT, SCRIPT_CONTENT = "seed-1:", "script-1:"


def _tag(content: str) -> str:
    return content.split(":", 1)[0] + ":" if ":" in content else ""


def lesson_contents(lesson: Lesson) -> dict[str, str]:
    """Each episode's own-content digest by section key, as the writer makes episodes of this
    lesson: a numbered section's is its section; the trailer's is the intro and outro; an article
    of only an intro and outro makes one lesson "1" of both."""
    sections = [s for s in lesson.sections if s.kind == "section"]
    frame = [s for s in lesson.sections if s.kind in ("intro", "outro")]
    contents = {s.key: SEED_CONTENT + _digest(section_content([s])) for s in sections}
    if frame:
        contents["trailer" if sections else "1"] = SEED_CONTENT + _digest(section_content(frame))
    return contents


def script_content(lines: list[Line]) -> str:
    """What a script says of its own: its lines, without the recall of other lessons (a generated
    script gets it after `audiogen script` has written it down, an edited one never): the review
    part, and any drill in the recap whose answer the script does not itself teach."""
    own = [dataclasses.asdict(line) for line in _without_recalls(lines) if line.part != "review"]
    return SCRIPT_CONTENT + _digest({"lines": own})


def _without_recalls(lines: list[Line]) -> list[Line]:
    """`lines` less each drill (cues, then its pauses and answers) that asks for something the
    script does not introduce as a term or key sentence, each shadowed sentence of that kind, and
    each recap line that says such a thing again: the recall of earlier lessons."""
    taught = {line.text for line in lines if line.kind in ("term", "quote") and line.part in ("expressions", "sentences")}
    out: list[Line] = []
    i = 0
    while i < len(lines):
        if lines[i].kind != "cue":
            if lines[i].kind in ("recap", "answer") and lines[i].text not in taught:
                # an earlier item heard again, or shadowed (the model and the pause after it), is recall too
                i += 2 if lines[i].kind == "answer" and i + 1 < len(lines) and lines[i + 1].kind == "pause" else 1
                continue
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind == "cue":
            j += 1
        end = j
        while end < len(lines) and lines[end].kind in ("pause", "answer"):
            end += 1
        answer = next((x for x in lines[j:end] if x.kind == "answer"), None)
        if answer is None or answer.text in taught:
            out += lines[i:end]
        i = end
    return out


def is_edit(before: str, now: str, said: str) -> bool:
    """Whether the content went from `before` to `now` by an edit. `said` is what the generated
    script says of its own (script_content) in this build.

    Between two digests of one kind and definition, any difference is. When a hand-edited script
    comes or goes, the seed's words cannot be compared with a script's: then it is an edit only if
    the edited script says something else than the generated one (so `audiogen script`, which
    writes every lesson of an article, republishes only the lessons you then change)."""
    if not before or before == now:
        return False
    if before.startswith("script-") == now.startswith("script-"):
        return _tag(before) == _tag(now)
    edited = now if now.startswith("script-") else before
    return _tag(edited) == _tag(said) and edited != said


def revised_guid(seed_id: str, section_key: str, revision: int) -> str:
    """The GUID of an episode republished at `revision` (0 is the GUID it was first published under)."""
    if revision == 0:
        return str(uuid.uuid5(GUID_NAMESPACE, f"{seed_id}/{section_key}"))
    return str(uuid.uuid5(GUID_NAMESPACE, f"{seed_id}/{section_key}/revision-{revision}"))


def corrected_title(title: str) -> str:
    return title if title.endswith(CORRECTED_MARK) else f"{title} {CORRECTED_MARK}"


@dataclass(frozen=True)
class Identity:
    """What a feed item is for one build: its GUID and title, and the revision and content digest
    the manifest keeps for the next build."""

    guid: str
    title: str
    revision: int
    content: str

    def onto(self, episode: Episode) -> Episode:
        """The episode (rendered now, or kept as published) under this identity."""
        return dataclasses.replace(episode, guid=self.guid, title=self.title, revision=self.revision,
                                   content=self.content)


def identity(script: Script, content: str, published: Episode | None, policy: str, said: str = "") -> Identity:
    """The episode's identity, given what was published under its name (slug) before.

    A first publication is revision 0 under the seed-section GUID. A published episode whose
    content digest is unknown (a manifest from before revisions were kept) takes today's content
    as its baseline, unchanged. Otherwise an edit (is_edit) is one more revision; "republish"
    gives it a new GUID, "update" keeps the one listeners have. An episode whose GUID is not its
    first one is titled as corrected, whatever the policy is now.
    """
    if published is None:
        return Identity(script.guid, script.title, 0, content)
    edited = is_edit(published.content, content, said)
    revision = published.revision + (1 if edited else 0)
    guid = published.guid
    if edited and policy == "republish":
        guid = revised_guid(script.seed_id, script.section_key, revision)
    title = script.title if guid == script.guid else corrected_title(script.title)
    return Identity(guid, title, revision, content)


def apply(scripts: list[Script], contents: dict[tuple[str, str], str], generated: dict[str, str],
          published: dict[str, Episode], policy: str) -> tuple[list[Script], dict[str, Identity]]:
    """The scripts with their feed identity (GUID, title) for this build, and each one's Identity
    by slug. `contents`: own-content digests by (seed id, section key) from the seeds as read;
    `generated`: for each hand-edited script (by slug), script_content of the generated script it
    replaced."""
    out, identities = [], {}
    for s in scripts:
        said = script_content(s.lines)
        if s.edited:
            content, said = said, generated.get(s.slug, "")
        else:
            content = contents.get((s.seed_id, s.section_key), "")
        who = identity(s, content, published.get(s.slug), policy, said)
        identities[s.slug] = who
        out.append(dataclasses.replace(s, guid=who.guid, title=who.title))
    return out, identities
