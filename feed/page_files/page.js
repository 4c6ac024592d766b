(function () {
  "use strict";
  var SLOW = 0.85;
  var KEY = {term: 1, quote: 1, chunk: 1, slow: 1, answer: 1};  // English the learner says aloud
  var feed = document.getElementById("feed-url");
  if (feed && /^https?:$/.test(location.protocol)) {
    feed.textContent = new URL("feed.xml", location.href).href;
  }
  var copy = document.getElementById("copy-feed");
  if (copy) copy.addEventListener("click", function () {
    var text = feed ? feed.textContent : "";
    var done = function () { copy.textContent = "\u2713"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var range = document.createRange(); range.selectNodeContents(feed);
      var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }
  });
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) {} }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function num(el, name) { return parseFloat(el.getAttribute(name)); }
  function play(audio) { var p = audio.play(); if (p && p.catch) p.catch(function () {}); }

  var lessons = {};   // made when a lesson is first opened or used: nothing loads before
  var active = null;  // the lesson the keyboard drives

  function lessonOf(article) {
    if (!lessons[article.id]) lessons[article.id] = new Lesson(article);
    return lessons[article.id];
  }

  function Lesson(article) {
    var self = this, player = article.querySelector(".player");
    // the player is made when its lesson is first opened: hundreds of idle <audio controls> make a page slow
    var audio = document.createElement("audio");
    audio.controls = true;
    audio.preload = "metadata";
    audio.src = player.getAttribute("data-mp3");
    player.replaceChild(audio, player.querySelector("a.mp3"));
    this.article = article;
    this.audio = audio;
    this.lines = []; this.starts = []; this.ends = [];
    this.marks = all(article, ".chapters .seek");
    this.box = article.querySelector(".transcript");
    this.loopButton = article.querySelector("button.loop");
    this.slowButton = article.querySelector("button.slow");
    this.key = "audiogen:" + article.id;
    this.index = -1;      // the line shown as current
    this.picked = -1;     // the line the learner chose (click, arrow), until playback moves on
    this.stopAt = null;   // the end of a line played alone
    this.loop = -1;       // the line the loop repeats; -1: no loop
    this.stopTimer = null;
    this.gapTimer = null; // the loop's silence, as long as the line, to say it in
    this.expect = null;   // where a seek of ours will land
    this.saved = 0;
    var src = player.getAttribute("data-track");
    if (src && location.protocol !== "file:") {  // a file:// page may not read its neighbours
      var track = document.createElement("track");
      track.kind = "captions"; track.srclang = "ko"; track.label = "\ud55c\uad6d\uc5b4 \u00b7 English"; track.src = src;
      audio.appendChild(track);
      track.track.mode = "hidden";
      track.track.addEventListener("cuechange", function () { self.highlight(); });
    }
    this.setRate(load("audiogen:slow") === "1" ? SLOW : 1);
    audio.addEventListener("timeupdate", function () { self.tick(); });
    audio.addEventListener("seeked", function () { self.seeked(); });
    audio.addEventListener("ratechange", function () { self.showRate(); self.arm(); });
    audio.addEventListener("play", function () {
      active = self;
      all(document, "audio").forEach(function (other) { if (other !== audio) other.pause(); });
      self.arm();
    });
    audio.addEventListener("pause", function () { self.remember(); });
    audio.addEventListener("loadedmetadata", function () {
      var saved = parseFloat(load(self.key));
      if (saved > 0 && saved < audio.duration - 1 && audio.currentTime === 0 && self.expect === null) {
        self.seekTo(saved);
      }
    });
    this.loadLines();
  }

  // The transcript, one button per spoken line, from the episode's script JSON (text only: never markup).
  Lesson.prototype.loadLines = function () {
    var self = this, box = this.box, src = box && box.getAttribute("data-src");
    if (!src || !window.fetch || location.protocol === "file:") return;  // the link to the VTT stays
    fetch(src).then(function (r) {
      if (!r.ok) throw new Error(src + ": " + r.status);
      return r.json();
    }).then(function (doc) {
      var made = [];
      (doc && doc.segments || []).forEach(function (s) {
        var start = Number(s && s.start), end = Number(s && s.end);
        if (!s || typeof s.text !== "string" || !s.text.trim() || (s.lang !== "ko" && s.lang !== "en") || !(end > start)) return;
        var b = document.createElement("button");
        b.type = "button";
        b.className = KEY.hasOwnProperty(s.kind) ? "line key" : "line";
        b.lang = s.lang;
        b.setAttribute("data-kind", String(s.kind));
        if (s.source === "teacher" || s.source === "translator") {  // machine-made: marked, never the author's
          b.setAttribute("data-source", s.source);
          b.title = "\uae30\uacc4 \ubc88\uc5ed (" + s.source + ")";
        }
        b.setAttribute("data-start", String(start));
        b.setAttribute("data-end", String(end));
        b.textContent = s.text.replace(/\s+/g, " ").trim();
        made.push(b);
      });
      if (!made.length) return;
      box.textContent = "";
      made.forEach(function (b) { box.appendChild(b); });
      self.lines = made;
      self.starts = made.map(function (l) { return num(l, "data-start"); });
      self.ends = made.map(function (l) { return num(l, "data-end"); });
      box.setAttribute("data-loaded", String(made.length));
      self.highlight();
    }).catch(function () {});
  };

  Lesson.prototype.seekTo = function (t) { this.expect = t; this.audio.currentTime = t; };

  Lesson.prototype.seeked = function () {
    var t = this.audio.currentTime;
    if (this.expect !== null && Math.abs(t - this.expect) < 0.05) {
      this.expect = null;
    } else {  // the learner moved the player's own slider: the loop moves with it
      this.expect = null; this.picked = -1; this.stopAt = null;
      if (this.loop >= 0) {
        var i = this.keyAt(t), going = !this.audio.paused || this.gapTimer !== null;
        clearTimeout(this.gapTimer); this.gapTimer = null;
        this.setLoop(i);
        if (t >= this.starts[i] - 0.05 && t <= this.ends[i]) {
          this.stopAt = this.ends[i];
          if (going) play(this.audio);
        } else if (going) { this.playLine(i); return; }
      }
    }
    this.highlight();
    this.arm();
  };

  Lesson.prototype.lineAt = function (t) {  // the last line starting at or before t
    var lo = 0, hi = this.starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (this.starts[mid] <= t + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  };

  Lesson.prototype.keyAt = function (t) {  // the key sentence being practised at t
    var i = this.lineAt(t), k;
    if (i >= 0 && this.lines[i].classList.contains("key")) return i;
    for (k = i; k >= 0; k--) if (this.lines[k].classList.contains("key")) return k;
    for (k = i + 1; k < this.lines.length; k++) if (this.lines[k].classList.contains("key")) return k;
    return i;
  };

  Lesson.prototype.highlight = function () {
    var t = this.audio.currentTime, i = this.lineAt(t);
    if (i >= 0 && t < this.ends[i] && i !== this.index) {
      if (this.index >= 0) this.lines[this.index].classList.remove("active");
      this.lines[i].classList.add("active");
      this.index = i;
      if (i !== this.picked) this.picked = -1;
      var box = this.box, line = this.lines[i];
      if (box.scrollHeight > box.clientHeight) {
        box.scrollTop = Math.max(0, line.offsetTop - box.offsetTop - box.clientHeight / 3);
      }
    }
    var chapter = null;
    this.marks.forEach(function (m) { if (num(m, "data-t") <= t + 0.05) chapter = m; });
    this.marks.forEach(function (m) { m.classList.toggle("active", m === chapter); });
  };

  Lesson.prototype.tick = function () {
    this.highlight();
    if (this.stopAt !== null && this.expect === null && this.audio.currentTime >= this.stopAt - 0.01) this.reached();
    else if (Math.abs(this.audio.currentTime - this.saved) > 5) this.remember();
  };

  Lesson.prototype.arm = function () {  // stop a line played alone on time, not at the next timeupdate
    var self = this, audio = this.audio;
    clearTimeout(this.stopTimer);
    if (this.stopAt === null || audio.paused || this.expect !== null) return;
    var left = (this.stopAt - audio.currentTime) / audio.playbackRate;
    if (left <= 0.01) { this.reached(); return; }
    this.stopTimer = setTimeout(function () { self.arm(); }, Math.max(5, left * 1000 - 30));
  };

  Lesson.prototype.reached = function () {
    var self = this, i = this.loop, audio = this.audio;
    this.stopAt = null;
    clearTimeout(this.stopTimer);
    audio.pause();
    if (i < 0) return;
    clearTimeout(this.gapTimer);
    this.gapTimer = setTimeout(function () {
      self.gapTimer = null;
      if (self.loop === i) self.playLine(i);
    }, 1000 * (this.ends[i] - this.starts[i]) / audio.playbackRate);
  };

  Lesson.prototype.playLine = function (i) {
    if (i < 0 || i >= this.lines.length) return;
    clearTimeout(this.gapTimer); this.gapTimer = null;
    this.picked = i;
    if (this.loop >= 0) this.setLoop(i);
    this.stopAt = this.ends[i];
    this.seekTo(this.starts[i]);
    this.highlight();
    play(this.audio);
  };

  Lesson.prototype.toggle = function () {
    if (this.gapTimer || (this.loop >= 0 && this.stopAt === null)) { this.playLine(this.loop); return; }
    if (this.audio.paused) play(this.audio); else this.audio.pause();
  };

  Lesson.prototype.step = function (d) {
    var base = this.index >= 0 ? this.index : this.lineAt(this.audio.currentTime);
    this.playLine(Math.min(this.lines.length - 1, Math.max(0, base + d)));
  };

  Lesson.prototype.setLoop = function (i) {
    if (this.loop >= 0) this.lines[this.loop].classList.remove("looping");
    this.loop = i;
    if (i >= 0) this.lines[i].classList.add("looping");
    this.loopButton.setAttribute("aria-pressed", i >= 0 ? "true" : "false");
  };

  Lesson.prototype.toggleLoop = function () {
    if (this.loop >= 0) {
      clearTimeout(this.gapTimer); this.gapTimer = null; this.stopAt = null;
      this.setLoop(-1);
      return;
    }
    var t = this.audio.currentTime;
    var i = this.picked >= 0 ? this.picked : this.keyAt(t);
    if (i < 0) return;
    this.setLoop(i);
    if (this.audio.paused || t < this.starts[i] - 0.05 || t > this.ends[i]) this.playLine(i);
    else { this.stopAt = this.ends[i]; this.arm(); }
  };

  Lesson.prototype.setRate = function (rate) {
    this.audio.defaultPlaybackRate = rate;
    this.audio.playbackRate = rate;
    this.showRate();
  };

  Lesson.prototype.showRate = function () {
    this.slowButton.setAttribute("aria-pressed", Math.abs(this.audio.playbackRate - SLOW) < 0.001 ? "true" : "false");
  };

  Lesson.prototype.toggleSlow = function () {
    var rate = Math.abs(this.audio.playbackRate - SLOW) < 0.001 ? 1 : SLOW;
    store("audiogen:slow", rate === SLOW ? "1" : "0");
    Object.keys(lessons).forEach(function (id) { lessons[id].setRate(rate); });
  };

  Lesson.prototype.remember = function () {
    this.saved = this.audio.currentTime;
    store(this.key, String(this.saved));
  };

  function current() {
    if (active && active.article.open) return active;
    var open = document.querySelector("details.episode[open]");
    return open ? lessonOf(open) : null;
  }

  document.addEventListener("toggle", function (e) {
    var article = e.target;
    if (!article.classList || !article.classList.contains("episode")) return;
    if (article.open) { active = lessonOf(article); store("audiogen:open", article.id); }
    else if (lessons[article.id]) lessons[article.id].audio.pause();
  }, true);

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button");
    var article = button && button.closest("details.episode");
    if (!article) return;
    var lesson = lessonOf(article), list = button.classList;
    active = lesson;
    if (list.contains("line")) lesson.playLine(lesson.lines.indexOf(button));
    else if (list.contains("seek")) {
      lesson.stopAt = null; lesson.picked = -1;
      lesson.seekTo(num(button, "data-t")); play(lesson.audio);
    } else if (list.contains("loop")) lesson.toggleLoop();
    else if (list.contains("slow")) lesson.toggleSlow();
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var target = e.target, tag = target && target.tagName, k = e.key;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    if ((tag === "AUDIO" || tag === "SUMMARY") && (k === " " || k === "Enter" || k === "ArrowLeft" || k === "ArrowRight")) return;
    var lesson = current();
    if (!lesson) return;
    if (k === " " || k === "Spacebar") lesson.toggle();
    else if (k === "ArrowLeft") lesson.step(-1);
    else if (k === "ArrowRight") lesson.step(1);
    else if (k === "l" || k === "L") lesson.toggleLoop();
    else if (k === "s" || k === "S") lesson.toggleSlow();
    else return;
    e.preventDefault();
  });

  window.addEventListener("pagehide", function () {
    Object.keys(lessons).forEach(function (id) { lessons[id].remember(); });
  });

  function linked() {  // the lesson a link names (the feed's items link to page#slug)
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) {}
    var el = id && document.getElementById(id);
    return el && el.classList.contains("episode") ? el : null;
  }
  window.addEventListener("hashchange", function () {
    var el = linked();
    if (el) { el.open = true; el.scrollIntoView(); }
  });
  var episodes = all(document, "details.episode"), remembered = document.getElementById(load("audiogen:open") || "");
  var wanted = linked() || (remembered && remembered.classList.contains("episode") ? remembered : episodes[0]);
  if (wanted) {
    wanted.open = true;
    if (wanted !== episodes[0] && !location.hash) wanted.scrollIntoView();
  }
})();
