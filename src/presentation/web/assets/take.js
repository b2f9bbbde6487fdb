/*
 * Hourglass candidate page: start or resume an attempt, autosave answers, count down.
 *
 * Plain ES2020, no framework, no build step; a reference for any client of the API.
 * Three rules shape it:
 *   1. The server owns the time. The countdown is the server's remaining time carried
 *      forward on performance.now() (monotonic), never on the browser's wall clock.
 *   2. An answer the candidate chose is kept (localStorage) until the server acknowledged
 *      it or refused it for good (410: time is up).
 *   3. Every server message about time corrects the countdown: replies, the live stream,
 *      and a poll that stays on as a fallback.
 */
"use strict";

(() => {
  const API = readMeta("hourglass-api", "/api/v1").replace(/\/+$/, "");
  const Answers = window.HourglassAnswers; // answers.js: the controls of each question type
  const SAVE_DEBOUNCE_MS = 300;
  const RETRY_CAP_MS = 10_000;
  const POLL_MS = 10_000;
  const STREAM_RETRY_CAP_MS = 30_000;
  // The stream pushes changes at once and sends a heartbeat every ≤ 30 s (a server
  // setting): silence longer than this means the stream is gone, so poll instead, and
  // reopen it when the tab comes back.
  const STREAM_SILENCE_MS = 35_000;
  const REQUEST_TIMEOUT_MS = 15_000;
  // A fixed-form attempt comes with its questions: one round trip before question 1 shows.
  const WITH_QUESTIONS = "?include=questions";
  const WARNINGS = [
    { seconds: 60, text: "Less than 1 minute left." },
    { seconds: 300, text: "Less than 5 minutes left." },
  ];
  const SECTION_WARNINGS = [
    { seconds: 60, text: "Less than 1 minute left in this section." },
    { seconds: 300, text: "Less than 5 minutes left in this section." },
  ];

  const state = {
    token: null,
    examId: null,
    candidate: null, // the token's `sub`, only to key local storage
    attempt: null, // {id, mode}
    questions: [], // [{id, type?, stem, options, max_length?}] of a fixed exam
    saved: {}, // question id -> response the server acknowledged
    pending: {}, // question id -> response not acknowledged yet, null to clear (in localStorage)
    flags: new Set(), // question ids the candidate flagged to come back to
    flagSends: new Map(), // question id -> the flag request in flight
    answerStates: {}, // question id -> saved | saving | retrying | error | late
    savers: new Map(), // question id -> {timer, promise, tries}
    late: [], // [{label, option}] refused with 410: not saved in time (option: as shown)
    item: null, // adaptive: the item on screen
    paused: false,
    finishing: false, // submit under way (by the candidate or at zero)
    final: false,
    online: navigator.onLine,
    warned: new Set(),
    // Exams with sections: the attempt's `sections` and the running one's id.
    sections: null,
    currentSection: null,
    sectionWarned: new Set(),
    movingOn: false, // a section finish or next under way (by the candidate or at zero)
  };

  const clock = { remainingMs: null, at: 0, paused: false, shown: "" };
  // The running section's clock, carried forward like the exam's (paused with it).
  const sectionClock = { remainingMs: null, at: 0, shown: "" };
  const stream = { source: null, failures: 0, timer: null, lastEventAt: -Infinity };
  const ticks = { wall: Date.now(), mono: performance.now(), interval: null, poll: null };

  // --- small helpers ---------------------------------------------------------------

  function readMeta(name, fallback) {
    const meta = document.querySelector(`meta[name="${name}"]`);
    return meta && meta.content ? meta.content : fallback;
  }

  function $(id) {
    return document.getElementById(id);
  }

  /** Builds an element; text always goes through textContent, so API data is never HTML. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Exponential backoff with jitter, so many candidates do not retry in lockstep. */
  function backoff(tries, capMs) {
    const base = Math.min(capMs, 500 * 2 ** tries);
    return base / 2 + Math.random() * (base / 2);
  }

  /** ISO 8601 to epoch ms. Trims microseconds: only millisecond precision is portable. */
  function parseTime(text) {
    return Date.parse(String(text).replace(/(\.\d{3})\d+/, "$1"));
  }

  function formatClock(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = String(total % 60).padStart(2, "0");
    return hours > 0
      ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
      : `${String(minutes).padStart(2, "0")}:${seconds}`;
  }

  /** "4 minutes 30 seconds": what a screen reader should say, not "04:30". */
  function formatSpoken(seconds) {
    const total = Math.max(0, Math.round(seconds));
    const minutes = Math.floor(total / 60);
    const rest = total % 60;
    const parts = [];
    if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
    if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
    return parts.join(" ");
  }

  /** The token's `sub`, read without verifying (the server verifies); only a storage key. */
  function tokenSubject(token) {
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(payload)).sub || "anonymous";
    } catch {
      return "anonymous";
    }
  }

  // --- talking to the API ----------------------------------------------------------

  /**
   * One request. Never throws: resolves to {ok, status, body, offline, sentAt, detail}.
   * `sentAt` lets the clock discount the reply's time in transit.
   */
  async function api(method, path, body) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${state.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    const sentAt = performance.now();
    let response;
    try {
      response = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        signal: abort.signal,
      });
    } catch {
      setOnline(false);
      return { ok: false, status: 0, body: null, offline: true, sentAt, detail: "" };
    } finally {
      clearTimeout(timeout);
    }
    setOnline(true);
    const data = await response.json().catch(() => null);
    const result = { ok: response.ok, status: response.status, body: data, offline: false, sentAt };
    // Problem details (RFC 9457): `detail` is written for people, so show it as is.
    result.detail = (data && (data.detail || data.title)) || `HTTP ${response.status}`;
    result.problem = data && typeof data.type === "string" ? data.type.split("/").pop() : "";
    if (response.status === 401) needSignIn(result.detail);
    return result;
  }

  /** Worth retrying: no answer at all, or the server says "not now". */
  function transient(reply) {
    return reply.offline || reply.status >= 500 || reply.status === 429 || reply.status === 408;
  }

  const attemptPath = (suffix = "") => `/attempts/${state.attempt.id}${suffix}`;

  // --- the countdown -----------------------------------------------------------------

  /**
   * Remember the server's remaining time and when (monotonic) we learnt it. The reply
   * describes the server somewhere between our send and its arrival: half the round trip
   * is the best estimate of how old it is. Returns how far the remaining time moved
   * compared with our own projection (positive: time was added).
   */
  function setRemaining(remainingMs, paused, sentAt) {
    const now = performance.now();
    const age = sentAt === undefined || paused ? 0 : (now - sentAt) / 2;
    const before = currentRemaining();
    clock.remainingMs = Math.max(0, remainingMs - age);
    clock.at = now;
    clock.paused = Boolean(paused);
    render();
    return before === null ? 0 : clock.remainingMs - before;
  }

  /** offset = deadline − server_time: the remaining time at the instant the server spoke. */
  function syncFromTimes(deadline, serverTime, paused, sentAt) {
    return setRemaining(parseTime(deadline) - parseTime(serverTime), paused, sentAt);
  }

  function currentRemaining() {
    if (clock.remainingMs === null) return null;
    if (clock.paused) return clock.remainingMs;
    return clock.remainingMs - (performance.now() - clock.at);
  }

  function tick() {
    // performance.now() may stop while a laptop sleeps (it does on macOS) and the wall
    // clock may be changed: when the two disagree, ask the server instead of guessing.
    const wall = Date.now();
    const mono = performance.now();
    const drift = Math.abs(wall - ticks.wall - (mono - ticks.mono));
    ticks.wall = wall;
    ticks.mono = mono;
    if (drift > 2000) resync();
    render();
    const remaining = currentRemaining();
    if (remaining !== null && remaining <= 0 && !clock.paused && !state.final) return timeUp();
    const sectionLeft = sectionRemaining();
    if (sectionLeft !== null && sectionLeft <= 0 && !clock.paused && !state.final) sectionTimeUp();
  }

  function render() {
    const remaining = currentRemaining();
    if (remaining === null || state.final) return;
    const text = formatClock(remaining);
    // Exact figure for automation and embedding platforms; the text is what people read.
    $("timer").dataset.remainingMs = String(Math.max(0, Math.round(remaining)));
    if (text !== clock.shown) {
      $("timer").textContent = text;
      clock.shown = text;
    }
    const level = remaining > 300_000 ? "normal" : remaining > 60_000 ? "warning" : "critical";
    $("clock").dataset.level = clock.paused ? "paused" : level;
    if (!clock.paused) warnAt(remaining / 1000);
    renderSectionClock();
  }

  /** Announce the 5- and 1-minute marks once each; again if added time took us back above. */
  function warnAt(seconds) {
    for (const warning of WARNINGS) {
      if (seconds > warning.seconds) state.warned.delete(warning.seconds);
    }
    const crossed = WARNINGS.find((w) => seconds > 0 && seconds <= w.seconds);
    if (crossed && !state.warned.has(crossed.seconds)) {
      // Mark every larger mark too: loading at 45 s should say "1 minute", not both.
      for (const w of WARNINGS) if (w.seconds >= crossed.seconds) state.warned.add(w.seconds);
      announce(crossed.text);
    }
  }

  // --- sections: a second clock, and moving on ----------------------------------------

  /** The running section's figures from any time report ({id, remaining_seconds}). */
  function setSection(section, sentAt) {
    if (!state.sections) return;
    if (!section) {
      sectionClock.remainingMs = null;
      $("section-clock").hidden = true;
      return;
    }
    if (section.id !== state.currentSection) {
      refreshSections(); // the server moved on (the clock, another tab): show the new section
      return;
    }
    const age = sentAt === undefined || clock.paused ? 0 : (performance.now() - sentAt) / 2;
    sectionClock.remainingMs = Math.max(0, section.remaining_seconds * 1000 - age);
    sectionClock.at = performance.now();
    renderSectionClock();
  }

  function sectionRemaining() {
    if (sectionClock.remainingMs === null || !sectionTimed()) return null;
    if (clock.paused) return sectionClock.remainingMs;
    return sectionClock.remainingMs - (performance.now() - sectionClock.at);
  }

  const runningSection = () =>
    state.sections && state.sections.find((section) => section.id === state.currentSection);
  const sectionTimed = () => Boolean(runningSection() && runningSection().duration_seconds);

  function renderSectionClock() {
    const remaining = sectionRemaining();
    $("section-clock").hidden = remaining === null || state.final;
    if (remaining === null || state.final) return;
    const text = formatClock(remaining);
    $("section-timer").dataset.remainingMs = String(Math.max(0, Math.round(remaining)));
    if (text !== sectionClock.shown) {
      $("section-timer").textContent = text;
      sectionClock.shown = text;
    }
    const level = remaining > 300_000 ? "normal" : remaining > 60_000 ? "warning" : "critical";
    $("section-clock").dataset.level = clock.paused ? "paused" : level;
    if (!clock.paused) warnSectionAt(remaining / 1000);
  }

  /** The section's 5- and 1-minute marks, once each (as the exam's, in `warnAt`). */
  function warnSectionAt(seconds) {
    const crossed = SECTION_WARNINGS.find((w) => seconds > 0 && seconds <= w.seconds);
    if (crossed && !state.sectionWarned.has(crossed.seconds)) {
      for (const w of SECTION_WARNINGS) if (w.seconds >= crossed.seconds) state.sectionWarned.add(w.seconds);
      announce(crossed.text);
    }
  }

  /** The attempt's sections as the server reports them: the bar, the clock, the buttons. */
  function showSections(attempt) {
    state.sections = attempt.sections || null;
    if (!state.sections) return;
    const changed = attempt.current_section !== state.currentSection;
    state.currentSection = attempt.current_section || null;
    if (changed) {
      state.sectionWarned = new Set();
      sectionClock.shown = "";
    }
    const running = runningSection();
    const index = state.sections.indexOf(running);
    const last = index === state.sections.length - 1;
    $("section-bar").hidden = !running;
    if (!running) return;
    const name = running.title || running.id;
    $("section-title").textContent = `Section ${index + 1} of ${state.sections.length}: ${name}`;
    const sequential = running.navigation === "sequential";
    $("section-help").textContent = sequential
      ? "Questions come one at a time: once you move on, you cannot go back."
      : "Answer in any order. Finished sections are locked.";
    // A sequential section lists its questions up to the current one: all of them at its last.
    const questionsHere = state.questions.filter((q) => q.section_id === running.id);
    const currentIsLast =
      sequential && questionsHere.length === running.question_count &&
      questionsHere[questionsHere.length - 1].id === running.current_question;
    $("next-question").hidden = !sequential || currentIsLast;
    $("finish-section").textContent = last ? "Finish the exam" : "Finish this section";
    setSection(attempt.section, undefined);
  }

  /** Read the attempt and its questions again after a section changed. */
  async function refreshSections() {
    if (state.refreshingSections || state.final) return;
    state.refreshingSections = true;
    try {
      const reply = await api("GET", attemptPath(WITH_QUESTIONS));
      if (!reply.ok) return;
      if (reply.body.status !== "in_progress") return finish(reply.body.status, reply.body.result);
      state.questions = reply.body.questions;
      renderQuestions(state.questions);
      showFlags();
      showAnswers(reply.body.answers || {});
      showSections(reply.body);
      setSection(reply.body.section, reply.sentAt);
      setInputsEnabled(!state.paused && !state.finishing);
      announce(`Now in ${$("section-title").textContent}.`);
    } finally {
      state.refreshingSections = false;
    }
  }

  /** Leave the running section (or its question): unsaved answers go first. */
  async function moveOn(path) {
    if (state.movingOn || state.final) return;
    state.movingOn = true;
    try {
      await flushAll();
      const reply = await api("POST", attemptPath(path));
      if (reply.ok && reply.body.status !== "in_progress") {
        return finish(reply.body.status, reply.body.result);
      }
      if (reply.status === 410) return finishFromReply(reply);
      if (!reply.ok && reply.status !== 409) showError(reply.detail);
      await refreshSections(); // a 409: the server moved on already (its clock), so follow it
    } finally {
      state.movingOn = false;
    }
  }

  const finishSection = () =>
    moveOn(`/sections/${encodeURIComponent(state.currentSection)}/finish`);

  /** The section's time is up: move on by ourselves (the server's sweeper does too). */
  function sectionTimeUp() {
    if (state.movingOn || state.sectionTimeUpFor === state.currentSection) return;
    state.sectionTimeUpFor = state.currentSection;
    showNotice("The time for this section is up. Moving on…");
    finishSection();
  }

  /** Ask the server how much time is left (on load, return from background, reconnect, poll). */
  async function resync() {
    if (!state.attempt || state.final) return;
    const reply = await api("GET", attemptPath("/remaining"));
    if (reply.ok) applyTime(reply.body, reply.sentAt);
  }

  /** A time report from a reply or the stream: correct the clock, pause state and status. */
  function applyTime(report, sentAt, reason) {
    const moved = syncFromTimes(report.deadline, report.server_time, report.paused, sentAt);
    const wasPaused = state.paused;
    setPaused(Boolean(report.paused));
    setSection(report.section, sentAt);
    if (report.status && report.status !== "in_progress") {
      loadFinal();
      return;
    }
    // A pause or resume found on a re-read is told by its own notice.
    if (state.paused === wasPaused) explainChange(reason, moved);
  }

  /** Tell the candidate why their time changed. An extension may take time away as well as
   * add it; `changed` is a move the server found on a re-read without knowing why. Polling
   * infers only "added" from a jump: a jump back is as likely the page's own clock (a
   * sleeping laptop) being corrected. */
  function explainChange(reason, movedMs) {
    const left = formatSpoken((currentRemaining() || 0) / 1000);
    if (reason === "time_extended" && movedMs < 0) {
      showNotice(`Time was taken away by the proctor. Time left: ${left}.`);
    } else if (reason === "time_extended" || (!reason && movedMs > 3000)) {
      showNotice(`Time was added by the proctor. Time left: ${left}.`);
    } else if (reason === "accommodated") {
      showNotice(`Your time allowance was adjusted. Time left: ${left}.`);
    } else if (reason === "changed") {
      showNotice(`Your time was changed. Time left: ${left}.`);
    }
  }

  // --- the live stream (server-sent events), with polling as the fallback ------------

  function openStream() {
    if (state.final || stream.source || !("EventSource" in window)) return;
    // EventSource cannot send headers, so the stream takes the token as a query parameter.
    const url = `${API}${attemptPath("/stream")}?access_token=${encodeURIComponent(state.token)}`;
    const source = new EventSource(url);
    stream.source = source;
    const heard = () => {
      stream.failures = 0;
      stream.lastEventAt = performance.now();
    };
    source.addEventListener("remaining", (event) => {
      heard();
      applyTime(JSON.parse(event.data));
    });
    source.addEventListener("deadline_changed", (event) => {
      heard();
      const data = JSON.parse(event.data);
      applyTime(data, undefined, data.reason);
    });
    source.addEventListener("section_changed", (event) => {
      heard();
      applyTime(JSON.parse(event.data));
      refreshSections();
    });
    source.addEventListener("status", (event) => {
      closeStream();
      const data = JSON.parse(event.data);
      finish(data.status, data.result);
    });
    // Any error (dropped connection, 404 before the endpoint exists, 401): close and
    // reconnect on our own backoff instead of the browser's fixed retry.
    source.addEventListener("error", () => {
      closeStream();
      scheduleStream();
    });
  }

  function closeStream() {
    if (stream.source) stream.source.close();
    stream.source = null;
  }

  function scheduleStream() {
    if (state.final) return;
    clearTimeout(stream.timer);
    const delay = backoff(stream.failures++, STREAM_RETRY_CAP_MS);
    stream.timer = setTimeout(openStream, delay);
  }

  function reconnectStreamNow() {
    clearTimeout(stream.timer);
    stream.failures = 0;
    closeStream();
    openStream();
  }

  /** Open, and heard from within a heartbeat or so. */
  function streamAlive() {
    const open = stream.source && stream.source.readyState === EventSource.OPEN;
    return Boolean(open) && performance.now() - stream.lastEventAt < STREAM_SILENCE_MS;
  }

  /** The poll stays on: it is skipped only while the stream is demonstrably alive. */
  function poll() {
    if (!streamAlive()) resync();
  }

  // --- answers (fixed exams) -----------------------------------------------------------

  const pendingKey = () => `hourglass:pending:${state.attempt.id}`;

  function persistPending() {
    try {
      if (Object.keys(state.pending).length) {
        localStorage.setItem(pendingKey(), JSON.stringify(state.pending));
      } else {
        localStorage.removeItem(pendingKey());
      }
    } catch {
      // Storage full or blocked (private mode): the answer still lives in memory.
    }
  }

  function restorePending() {
    try {
      return JSON.parse(localStorage.getItem(pendingKey()) || "{}") || {};
    } catch {
      return {};
    }
  }

  function saver(questionId) {
    if (!state.savers.has(questionId)) {
      state.savers.set(questionId, { timer: null, promise: null, tries: 0 });
    }
    return state.savers.get(questionId);
  }

  /** The candidate answered (null: cleared): keep it locally at once, send it after a pause. */
  function choose(questionId, option) {
    state.pending[questionId] = option;
    persistPending();
    setAnswerState(questionId, "saving");
    scheduleSave(questionId, SAVE_DEBOUNCE_MS);
    updateSummary();
    renderNav();
  }

  function scheduleSave(questionId, delay) {
    const entry = saver(questionId);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => saveAnswer(questionId), delay);
  }

  /** One PUT per question at a time, so an older choice can never overwrite a newer one. */
  function saveAnswer(questionId) {
    const entry = saver(questionId);
    clearTimeout(entry.timer);
    if (entry.promise) return entry.promise;
    const option = state.pending[questionId];
    if (option === undefined || state.paused || state.final) return Promise.resolve();
    entry.promise = sendAnswer(questionId, option).finally(() => {
      entry.promise = null;
      // Changed while the request was out: send the newer choice now.
      const newer = state.pending[questionId];
      if (newer !== undefined && !Answers.same(newer, option) && state.answerStates[questionId] === "saving") {
        scheduleSave(questionId, 0);
      }
    });
    return entry.promise;
  }

  async function sendAnswer(questionId, option) {
    const path = attemptPath(`/answers/${encodeURIComponent(questionId)}`);
    const question = questionById(questionId);
    const reply =
      option === null ? await api("DELETE", path) : await api("PUT", path, Answers.body(question, option));
    const entry = saver(questionId);
    if (reply.ok) {
      entry.tries = 0;
      if (option === null) delete state.saved[questionId];
      else state.saved[questionId] = option;
      if (Answers.same(state.pending[questionId], option)) {
        delete state.pending[questionId];
        persistPending();
        setAnswerState(questionId, "saved");
      }
      setRemaining(reply.body.remaining_seconds * 1000, false, reply.sentAt);
    } else if (transient(reply)) {
      setAnswerState(questionId, "retrying");
      scheduleSave(questionId, backoff(entry.tries++, RETRY_CAP_MS));
    } else if (reply.status === 401) {
      setAnswerState(questionId, "retrying"); // kept locally; sent after signing in again
    } else if (reply.status === 410) {
      markLate(questionId);
      finishFromReply(reply);
    } else if (reply.status === 409 && reply.problem === "attempt-paused") {
      setAnswerState(questionId, "retrying");
      setPaused(true); // sent again when the proctor resumes the exam
      resync();
    } else if (reply.status === 409 && SECTION_REFUSALS.has(reply.problem)) {
      // The question's section is finished, or the question left behind: never accepted.
      delete state.pending[questionId];
      persistPending();
      setAnswerState(questionId, "error", reply.detail);
      refreshSections();
    } else if (reply.status === 409) {
      loadFinal(); // submitted elsewhere: nothing more will be accepted
    } else {
      // 404/422: this choice can never be accepted; say why and put back what is saved.
      delete state.pending[questionId];
      persistPending();
      setAnswerState(questionId, "error", reply.detail);
      showValue(questionId, state.saved[questionId]);
      renderNav();
    }
    updateSaveState();
  }

  const SECTION_REFUSALS = new Set(["section-not-active", "question-locked"]);

  /** Send every unsaved answer now; resolves when each has had one try. */
  function flushAll() {
    const sends = Object.keys(state.pending).map((questionId) => saveAnswer(questionId));
    if (state.item && state.item.pendingOption) sends.push(sendResponse());
    return Promise.all(sends);
  }

  function markLate(questionId) {
    const option = state.pending[questionId];
    if (option === undefined) return;
    const question = questionById(questionId);
    const index = question ? state.questions.indexOf(question) + 1 : null;
    const shown = option === null ? "(cleared)" : Answers.describe(option);
    state.late.push({ label: index ? `Question ${index}` : questionId, option: shown });
    delete state.pending[questionId];
    persistPending();
    setAnswerState(questionId, "late");
  }

  // --- answer and save states on screen ------------------------------------------------

  const ANSWER_TEXT = {
    saved: "Saved",
    saving: "Saving…",
    retrying: "Not saved yet: kept on this device, retrying",
    error: "Not saved",
    late: "Not saved in time",
  };

  function setAnswerState(questionId, answerState, detail) {
    state.answerStates[questionId] = answerState;
    const node = document.querySelector(`[data-answer-state="${CSS.escape(questionId)}"]`);
    if (node) {
      node.dataset.state = answerState;
      node.textContent = detail ? `${ANSWER_TEXT[answerState]}: ${detail}` : ANSWER_TEXT[answerState];
    }
    updateSaveState();
  }

  /** The global line under the clock: offline > unsaved > saving > saved. */
  function updateSaveState() {
    const node = $("save-state");
    if (!state.attempt || state.final) {
      node.hidden = true;
      return;
    }
    const unsaved = unsavedCount();
    const states = Object.values(state.answerStates);
    let kind = "saved";
    let text = "All answers saved";
    if (!state.online) {
      kind = "offline";
      text = unsaved
        ? `Offline: ${unsaved} unsaved answer${unsaved === 1 ? "" : "s"} kept on this device`
        : "Offline: answers will be kept on this device";
    } else if (states.includes("retrying")) {
      kind = "offline";
      text = `${unsaved} answer${unsaved === 1 ? "" : "s"} not saved yet, retrying`;
    } else if (unsaved || states.includes("saving")) {
      kind = "saving";
      text = "Saving…";
    } else if (states.includes("error")) {
      kind = "error";
      text = "An answer could not be saved";
    } else if (!states.length) {
      kind = "idle";
      text = "No answers yet";
    }
    node.hidden = false;
    node.dataset.state = kind;
    node.textContent = text;
  }

  const unsavedCount = () =>
    Object.keys(state.pending).length + (state.item && state.item.pendingOption ? 1 : 0);

  function setOnline(online) {
    if (state.online === online) return;
    state.online = online;
    announce(online ? "Connection restored." : "You are offline. Your answers are kept on this device.");
    updateSaveState();
  }

  function updateSummary() {
    const answered = state.questions.filter((q) => Answers.isAnswered(chosenOption(q.id))).length;
    $("submit-summary").textContent = `You have answered ${answered} of ${state.questions.length} questions.`;
  }

  const chosenOption = (questionId) =>
    state.pending[questionId] !== undefined ? state.pending[questionId] : state.saved[questionId];

  // --- rendering questions ----------------------------------------------------------------

  /** A fieldset per question with native, labelled controls of its type (answers.js):
   * keyboard and screen readers work as is. */
  function questionFieldset(question, index, total, prefix) {
    const legend = el(
      "legend",
      {},
      el("span", { class: "question__number", text: `Question ${index + 1}${total ? ` of ${total}` : ""}` }),
      el("span", { class: "question__stem", text: question.stem }),
    );
    return el(
      "fieldset",
      { class: "question", id: `${prefix}-${index + 1}`, dataset: { questionId: question.id } },
      legend,
      ...Answers.controls(question, `${prefix}-${index}`),
    );
  }

  const questionById = (questionId) => state.questions.find((q) => q.id === questionId);

  function renderQuestions(questions) {
    const form = $("questions");
    form.replaceChildren(
      ...questions.map((question, index) => {
        const fieldset = questionFieldset(question, index, questions.length, "q");
        fieldset.append(
          el("p", { class: "answer-state", dataset: { answerState: question.id } }),
          flagButton(question.id),
        );
        if (question.locked) {
          // Disabled controls are skipped by Tab but still read: the note says why.
          fieldset.dataset.locked = "true";
          fieldset.disabled = true;
          fieldset.append(el("p", { class: "question__locked", text: "Locked: this question can no longer be answered." }));
        }
        return fieldset;
      }),
    );
    form.hidden = false;
    $("question-nav").hidden = false;
    $("submit-area").hidden = false;
    renderNav();
  }

  function fieldsetOf(questionId) {
    return document.querySelector(`#questions fieldset[data-question-id="${CSS.escape(questionId)}"]`);
  }

  function showValue(questionId, value) {
    const question = questionById(questionId);
    const fieldset = fieldsetOf(questionId);
    if (question && fieldset) Answers.show(question, fieldset, value === undefined ? null : value);
  }

  /** The candidate changed a control: its question's new value, sent like any answer. */
  function onAnswerInput(event) {
    const input = event.target;
    const fieldset = input.closest("fieldset[data-question-id]");
    const question = fieldset && questionById(fieldset.dataset.questionId);
    if (!question || !Answers.answerable(question)) return;
    // Radios and checkboxes answer on change, typed answers as they are typed.
    const typed = input.dataset.kind !== undefined;
    if (typed !== (event.type === "input")) return;
    const read = Answers.valueOf(question, fieldset, input);
    if (read.invalid) return setAnswerState(question.id, "error", read.invalid);
    if (Answers.same(read.value, chosenOption(question.id) ?? null)) return undefined;
    return choose(question.id, read.value);
  }

  // --- flags: questions to come back to ---------------------------------------------------

  /** A toggle button (aria-pressed): Enter and Space work on it as on any button. */
  function flagButton(questionId) {
    return el("button", {
      type: "button",
      class: "button flag",
      "aria-pressed": "false",
      dataset: { flag: questionId },
      text: "Flag for review",
    });
  }

  function showFlags() {
    for (const button of document.querySelectorAll("#questions [data-flag]")) {
      const flagged = state.flags.has(button.dataset.flag);
      button.setAttribute("aria-pressed", String(flagged));
      button.textContent = flagged ? "Flagged for review" : "Flag for review";
    }
    renderNav();
  }

  /** Flip the flag on screen at once; the server's reply (all flags) then says what holds. */
  async function toggleFlag(questionId) {
    if (state.flagSends.has(questionId) || state.final) return;
    const flagged = !state.flags.has(questionId);
    if (flagged) state.flags.add(questionId);
    else state.flags.delete(questionId);
    showFlags();
    const path = attemptPath(`/flags/${encodeURIComponent(questionId)}`);
    const send = api(flagged ? "PUT" : "DELETE", path);
    state.flagSends.set(questionId, send);
    const reply = await send;
    state.flagSends.delete(questionId);
    if (reply.ok) {
      state.flags = new Set(reply.body.flags);
    } else {
      // Not kept locally: a flag is a note to self, not an answer. Put back what held.
      if (flagged) state.flags.delete(questionId);
      else state.flags.add(questionId);
      announce(`The flag could not be changed: ${reply.detail}`);
      if (reply.status === 409 || reply.status === 410) loadFinal();
    }
    showFlags();
  }

  /** The overview: a link to each question, saying whether it is answered and flagged. */
  function renderNav() {
    const list = $("question-nav-list");
    if (!list || !state.questions.length) return;
    list.replaceChildren(
      ...state.questions.map((question, index) => {
        const answered = Answers.isAnswered(chosenOption(question.id));
        const flagged = state.flags.has(question.id);
        const status = [answered ? "answered" : "not answered", flagged ? "flagged" : ""].filter(Boolean);
        return el(
          "li",
          { dataset: { answered: String(answered), flagged: String(flagged) } },
          el(
            "a",
            { href: `#q-${index + 1}`, dataset: { navFor: question.id } },
            el("span", { class: "nav__number", text: String(index + 1) }),
            el("span", { class: "nav__flag", "aria-hidden": "true", text: flagged ? "⚑" : "" }),
            el("span", { class: "visually-hidden", text: `Question ${index + 1}: ${status.join(", ")}` }),
          ),
        );
      }),
    );
  }

  /** Saved answers from the server, with this device's unsaved choices on top (they are newer). */
  function showAnswers(serverAnswers) {
    state.saved = { ...serverAnswers };
    state.pending = restorePending();
    for (const question of state.questions) {
      const option = chosenOption(question.id);
      if (option === undefined) continue;
      showValue(question.id, option);
      setAnswerState(question.id, state.pending[question.id] !== undefined ? "saving" : "saved");
    }
    updateSummary();
    renderNav();
  }

  function setInputsEnabled(enabled) {
    for (const fieldset of document.querySelectorAll("#questions fieldset, #adaptive fieldset")) {
      fieldset.disabled = !enabled || fieldset.dataset.locked === "true";
    }
    for (const id of ["submit-button", "confirm-yes", "adaptive-next", "next-question", "finish-section"]) {
      $(id).disabled = !enabled;
    }
  }

  // --- adaptive exams: one item at a time ------------------------------------------------

  async function nextItem() {
    const reply = await api("GET", attemptPath("/next-item"));
    if (reply.ok && reply.body.done) return finish(reply.body.result.status, reply.body.result);
    if (reply.ok) return renderItem(reply.body.item, reply.body.position);
    if (reply.status === 410) return finishFromReply(reply);
    if (transient(reply)) return void setTimeout(nextItem, backoff(1, RETRY_CAP_MS));
    return showError(reply.detail);
  }

  function renderItem(item, position) {
    state.item = { id: item.id, pendingOption: restoreItemResponse(item.id), tries: 0 };
    const fieldset = questionFieldset(item, Math.max(0, Number(position) - 1 || 0), 0, "item");
    $("adaptive-item").replaceChildren(fieldset);
    $("adaptive").hidden = false;
    if (state.item.pendingOption) {
      for (const input of fieldset.querySelectorAll("input")) {
        input.checked = input.value === state.item.pendingOption;
      }
    }
    setInputsEnabled(!state.paused && !state.finishing);
    fieldset.querySelector("input").focus();
  }

  const responseKey = () => `hourglass:response:${state.attempt.id}`;

  function restoreItemResponse(itemId) {
    try {
      const saved = JSON.parse(localStorage.getItem(responseKey()) || "null");
      return saved && saved.item_id === itemId ? saved.option : null;
    } catch {
      return null;
    }
  }

  function onAdaptiveSubmit(event) {
    event.preventDefault();
    const checked = $("adaptive-item").querySelector("input:checked");
    if (!checked) return showError("Choose an answer first.");
    hideError();
    state.item.pendingOption = checked.value;
    try {
      localStorage.setItem(responseKey(), JSON.stringify({ item_id: state.item.id, option: checked.value }));
    } catch {
      // kept in memory only
    }
    setInputsEnabled(false);
    sendResponse();
  }

  /** A response is final once sent, so it is posted on "Save and continue", not on change. */
  async function sendResponse() {
    const item = state.item;
    if (!item || !item.pendingOption || item.sending) return;
    item.sending = true;
    const body = { item_id: item.id, option: item.pendingOption };
    const reply = await api("POST", attemptPath("/responses"), body);
    item.sending = false;
    updateSaveState();
    if (reply.ok || reply.status === 409) {
      // 409: the server already has a response for this item (an earlier try got through).
      localStorage.removeItem(responseKey());
      item.pendingOption = null;
      updateSaveState();
      if (reply.ok && reply.body.done) return loadFinal();
      return nextItem();
    }
    if (reply.status === 410) return finishFromReply(reply);
    if (transient(reply)) return void setTimeout(sendResponse, backoff(item.tries++, RETRY_CAP_MS));
    if (reply.status === 401) return undefined; // kept locally; sent after signing in again
    setInputsEnabled(true);
    return showError(reply.detail);
  }

  // --- pause, submit, time up, result -------------------------------------------------------

  function setPaused(paused) {
    if (state.paused === paused || state.final) return;
    state.paused = paused;
    // Learnt from a 409 rather than a time report: freeze here; the next report corrects it.
    if (paused && !clock.paused) setRemaining(currentRemaining() || 0, true);
    setInputsEnabled(!paused && !state.finishing);
    if (paused) {
      showNotice("Paused by the proctor. Your time is stopped; you can continue when the exam resumes.");
    } else {
      showNotice("The exam has resumed.");
      flushAll();
    }
  }

  function openConfirm() {
    const unsaved = Object.keys(state.pending).length;
    $("confirm-text").textContent = unsaved
      ? `Submit now? ${unsaved} answer${unsaved === 1 ? " is" : "s are"} not saved yet and will be ` +
        "sent first. You will not be able to change your answers."
      : "Submit now? You will not be able to change your answers.";
    $("confirm").hidden = false;
    $("submit-button").hidden = true;
    $("confirm-text").focus();
  }

  function closeConfirm() {
    $("confirm").hidden = true;
    $("submit-button").hidden = false;
    $("submit-button").focus();
  }

  /** At zero: stop edits, send what is unsaved (the server still takes it briefly), submit. */
  function timeUp() {
    if (state.finishing || state.final) return;
    showNotice("Time is up. Saving your last answers and submitting…");
    // Remembered on the state: the stream's `status` event may report the result first.
    state.automatic = true;
    submit();
  }

  async function submit() {
    if (state.finishing || state.final) return;
    state.finishing = true;
    setInputsEnabled(false);
    for (let tries = 0; !state.final; tries++) {
      await flushAll();
      if (unsavedCount() > 0) {
        // Submitting now would lose answers the server may still accept: retry them first.
        // Each ends saved, or refused with 410 (and then the attempt is final anyway).
        await sleep(backoff(tries, RETRY_CAP_MS));
        continue;
      }
      const reply = await api("POST", attemptPath("/submit"));
      if (reply.ok) return finish(reply.body.status || "submitted", reply.body);
      if (reply.status === 410) return finishFromReply(reply);
      if (reply.status === 409 && reply.problem === "attempt-paused") break;
      if (reply.status === 409) return loadFinal();
      if (!transient(reply)) {
        showError(reply.detail);
        break;
      }
      await sleep(backoff(tries, RETRY_CAP_MS));
    }
    state.finishing = false;
    if (!state.final) setInputsEnabled(!state.paused);
  }

  /** 410 bodies carry the final result of the expired attempt. */
  function finishFromReply(reply) {
    if (reply.body && reply.body.result) return finish("expired", reply.body.result);
    return loadFinal();
  }

  async function loadFinal() {
    if (state.final || state.loadingFinal) return;
    state.loadingFinal = true;
    const reply = await api("GET", attemptPath());
    state.loadingFinal = false;
    if (reply.ok && reply.body.result) finish(reply.body.status, reply.body.result);
  }

  /** The attempt is over: freeze the page and show the result (idempotent). */
  function finish(status, result) {
    if (state.final) return;
    state.final = true;
    closeStream();
    clearTimeout(stream.timer);
    clearInterval(ticks.poll);
    clearInterval(ticks.interval);
    for (const questionId of Object.keys(state.pending)) markLate(questionId);
    if (state.item && state.item.pendingOption) {
      state.late.push({ label: "The last question", option: state.item.pendingOption });
    }
    try {
      localStorage.removeItem(pendingKey());
      localStorage.removeItem(responseKey());
    } catch {
      // nothing to clean
    }
    setInputsEnabled(false);
    $("submit-area").hidden = true;
    $("adaptive").hidden = true;
    $("section-bar").hidden = true;
    $("section-clock").hidden = true;
    hideNotice();
    $("clock-label").textContent = "Status";
    $("timer").textContent = status === "expired" ? "Time expired" : "Submitted";
    $("clock").dataset.level = "final";
    updateSaveState();
    showResult(status, result);
  }

  function showResult(status, result) {
    const expired = status === "expired";
    $("result-title").textContent = expired ? "Time expired" : "Submitted";
    $("result-message").textContent = expired
      ? "The time ran out. Every answer saved before the deadline was scored."
      : state.automatic
        ? "The time ran out and your exam was submitted automatically."
        : "Your exam was submitted.";
    const figures = [];
    if (result) {
      figures.push(["Score", `${formatNumber(result.score)} / ${formatNumber(result.max_score)}`]);
      figures.push(["Questions answered", String(result.answered)]);
      figures.push(["Correct answers", String(result.correct)]);
      figures.push(["Time taken", formatSpoken(result.time_taken_seconds)]);
      const at = result.submitted_at || result.expired_at;
      const label = expired ? "Expired at" : "Submitted at";
      if (at) figures.push([label, new Date(parseTime(at)).toLocaleString()]);
    }
    $("result-figures").replaceChildren(
      ...figures.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]),
    );
    $("unsaved-report").hidden = state.late.length === 0;
    $("unsaved-list").replaceChildren(
      ...state.late.map((late) => el("li", { text: `${late.label}: your choice ${late.option}` })),
    );
    $("result").hidden = false;
    $("result").focus();
    announce(`${$("result-title").textContent}. ${$("result-message").textContent}`);
  }

  const formatNumber = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

  // --- messages --------------------------------------------------------------------------------

  /** Polite live region: cleared first so the same sentence is read again when repeated. */
  function announce(text) {
    const node = $("announcer");
    node.textContent = "";
    setTimeout(() => {
      node.textContent = text;
    }, 50);
  }

  function showNotice(text) {
    $("notice").textContent = text;
    $("notice").hidden = false;
    announce(text);
  }

  function hideNotice() {
    $("notice").hidden = true;
  }

  function showError(text) {
    $("error").textContent = text;
    $("error").hidden = false;
  }

  function hideError() {
    $("error").hidden = true;
  }

  // --- sign-in and start --------------------------------------------------------------------------

  /** `?token=` (embedding) wins; it is then removed from the address bar and kept for this tab. */
  function readToken() {
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get("token");
    if (fromUrl) {
      sessionStorage.setItem("hourglass:token", fromUrl);
      url.searchParams.delete("token");
      history.replaceState(null, "", url.pathname + url.search + url.hash);
      return fromUrl;
    }
    return sessionStorage.getItem("hourglass:token");
  }

  function readExamId() {
    const fromMeta = readMeta("hourglass-exam", "");
    if (fromMeta) return fromMeta;
    const segments = location.pathname.split("/").filter(Boolean);
    return new URL(location.href).searchParams.get("exam") || segments[segments.length - 1];
  }

  function showSignIn(message) {
    $("loading").hidden = true;
    if (!state.attempt) $("exam-title").textContent = "Your exam";
    $("signin").hidden = false;
    if (message) showError(message);
    $("token-input").focus();
  }

  /** A 401 mid-exam (expired token): ask again; answers stay in localStorage meanwhile. */
  function needSignIn(detail) {
    if (!$("signin").hidden) return; // already asking: do not steal focus again
    sessionStorage.removeItem("hourglass:token");
    state.signInAgain = Boolean(state.attempt);
    showSignIn(state.signInAgain ? `Please sign in again: ${detail}` : `Sign-in failed: ${detail}`);
  }

  function onSignIn(event) {
    event.preventDefault();
    const token = $("token-input").value.trim();
    if (!token) return showError("Paste your access token first.");
    sessionStorage.setItem("hourglass:token", token);
    // Mid-exam, a reload rebuilds everything from the server and local storage.
    if (state.signInAgain) return location.reload();
    hideError();
    $("signin").hidden = true;
    state.token = token;
    state.candidate = tokenSubject(token);
    return begin();
  }

  const attemptKey = () => `hourglass:attempt:${state.examId}:${state.candidate}`;

  /** The attempt this device last worked on, if it is still readable; else start or resume. */
  async function openAttempt() {
    const known = localStorage.getItem(attemptKey());
    if (known) {
      state.attempt = { id: known };
      const reply = await api("GET", attemptPath(WITH_QUESTIONS));
      if (reply.ok) return reply;
      if (reply.status === 401) return null;
      if (transient(reply)) return reply;
      localStorage.removeItem(attemptKey());
    }
    const reply = await api("POST", `/exams/${encodeURIComponent(state.examId)}/attempts${WITH_QUESTIONS}`);
    if (reply.ok) localStorage.setItem(attemptKey(), reply.body.id);
    return reply;
  }

  async function begin() {
    $("loading").hidden = false;
    loadTitle();
    let reply = await openAttempt();
    for (let tries = 0; reply && transient(reply); tries++) {
      showError("Cannot reach the exam server. Retrying…");
      await sleep(backoff(tries, RETRY_CAP_MS));
      reply = await openAttempt();
    }
    if (!reply) return;
    if (!reply.ok) {
      $("loading").hidden = true;
      return reply.status === 401 ? undefined : showError(reply.detail);
    }
    hideError();
    await enter(reply.body, reply.sentAt);
  }

  /** Show the attempt: its result if final, else its questions, answers and clock. */
  async function enter(attempt, sentAt) {
    state.attempt = { id: attempt.id, mode: attempt.mode };
    $("main").dataset.attemptId = attempt.id; // lets an embedding platform find the attempt
    $("clock").hidden = false;
    syncFromTimes(attempt.deadline, attempt.server_time, attempt.paused, sentAt);
    if (attempt.status !== "in_progress") {
      $("loading").hidden = true;
      return finish(attempt.status, attempt.result);
    }
    if (attempt.mode === "adaptive") {
      await nextItem();
    } else {
      let questions = attempt.questions;
      if (!questions) {
        const reply = await api("GET", attemptPath("/questions"));
        if (!reply.ok) return showError(reply.detail);
        questions = reply.body;
      }
      state.questions = questions;
      state.flags = new Set(attempt.flags || []);
      renderQuestions(state.questions);
      showFlags();
      showAnswers(attempt.answers || {});
      showSections(attempt);
    }
    $("loading").hidden = true;
    setPaused(Boolean(attempt.paused));
    updateSaveState();
    startClocks();
    flushAll();
  }

  async function loadTitle() {
    const reply = await api("GET", `/exams/${encodeURIComponent(state.examId)}`);
    if (!reply.ok) return;
    $("exam-title").textContent = reply.body.title;
    document.title = `${reply.body.title} · Hourglass`;
  }

  function startClocks() {
    clearInterval(ticks.interval);
    ticks.interval = setInterval(tick, 250);
    ticks.poll = setInterval(poll, POLL_MS);
    openStream();
  }

  // --- wiring -----------------------------------------------------------------------------------------

  /** Back from a background tab, a sleep, a frozen tab or the network: trust nothing local. */
  function onReturn() {
    if (!state.attempt || state.final) return;
    resync();
    flushAll();
    // A stream heard within its heartbeat is healthy: reopening it anyway would multiply
    // stream opens on the server each time a room of tabs comes back to the front.
    if (!streamAlive()) reconnectStreamNow();
  }

  function wire() {
    $("signin-form").addEventListener("submit", onSignIn);
    $("questions").addEventListener("submit", (event) => event.preventDefault());
    $("questions").addEventListener("change", onAnswerInput);
    $("questions").addEventListener("input", onAnswerInput);
    $("questions").addEventListener("click", (event) => {
      const button = event.target.closest("[data-flag]");
      if (button) toggleFlag(button.dataset.flag);
    });
    $("adaptive-form").addEventListener("submit", onAdaptiveSubmit);
    $("submit-button").addEventListener("click", openConfirm);
    $("confirm-no").addEventListener("click", closeConfirm);
    $("confirm-yes").addEventListener("click", submit);
    $("finish-section").addEventListener("click", finishSection);
    $("next-question").addEventListener("click", () => moveOn("/next"));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") onReturn();
    });
    document.addEventListener("resume", onReturn); // Page Lifecycle: a frozen tab thawed
    window.addEventListener("pageshow", (event) => event.persisted && onReturn()); // back/forward cache
    window.addEventListener("online", () => {
      setOnline(true);
      onReturn();
    });
    window.addEventListener("offline", () => setOnline(false));
  }

  function main() {
    wire();
    state.examId = readExamId();
    state.token = readToken();
    if (!state.token) return showSignIn();
    state.candidate = tokenSubject(state.token);
    return begin();
  }

  main();
})();
