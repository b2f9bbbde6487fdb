// The proctor's page: the exam's attempts from GET /exams/{id}/stream, counted down here
// from the server's figures (never the browser's clock), with per-row and exam-wide actions.
"use strict";
(() => {
  const API = document.querySelector('meta[name="hourglass-api"]').content;
  const examId = location.pathname.split("/").filter(Boolean).pop();
  const $ = (id) => document.getElementById(id);
  const lines = new Map(); // attempt id -> {data, receivedAt}
  let token = null;
  let pending = null; // {action, attemptId | null, candidate}

  function readToken() {
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get("token");
    if (fromUrl) {
      sessionStorage.setItem("hourglass:admin-token", fromUrl);
      url.searchParams.delete("token");
      history.replaceState(null, "", url);
    }
    return sessionStorage.getItem("hourglass:admin-token");
  }

  function announce(text) {
    $("announcer").textContent = text;
  }

  function showError(text) {
    $("error").textContent = text;
    $("error").hidden = !text;
  }

  async function call(method, path, body) {
    const response = await fetch(API + path, {
      method,
      headers: {
        Accept: "application/json",
        Authorization: `Bearer ${token}`,
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || data.title || `HTTP ${response.status}`);
    return data;
  }

  function clockText(ms) {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    const m = Math.floor(seconds / 60);
    return `${m}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function remainingMs(line) {
    const { data, receivedAt } = line;
    const left = data.remaining_seconds * 1000;
    if (data.status !== "in_progress" || data.paused) return left;
    return left - (performance.now() - receivedAt);
  }

  function button(action, label, data) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.action = action;
    b.dataset.attemptId = data.attempt_id;
    b.textContent = label;
    b.setAttribute("aria-label", `${label} for ${data.candidate_id}`);
    return b;
  }

  function render(line) {
    const { data } = line;
    let row = document.querySelector(`tr[data-attempt-id="${data.attempt_id}"]`);
    if (!row) {
      row = document.createElement("tr");
      row.dataset.attemptId = data.attempt_id;
      $("rows").appendChild(row);
    }
    const running = data.status === "in_progress";
    row.dataset.status = data.status;
    row.replaceChildren();
    const head = document.createElement("th");
    head.scope = "row";
    head.textContent = data.candidate_id;
    const cells = [
      data.status.replace("_", " "),
      String(data.answered),
      running ? clockText(remainingMs(line)) : "—",
      data.paused ? "Paused" : "No",
    ].map((text) => {
      const cell = document.createElement("td");
      cell.textContent = text;
      return cell;
    });
    cells[2].className = "time-left";
    cells[2].dataset.remainingMs = String(Math.round(remainingMs(line)));
    const actions = document.createElement("td");
    if (running) {
      actions.append(button("extend", "Extend…", data));
      actions.append(button(data.paused ? "resume" : "pause", data.paused ? "Resume…" : "Pause…", data));
      actions.append(button("terminate", "Terminate…", data));
    }
    row.append(head, ...cells, actions);
  }

  function tick() {
    for (const line of lines.values()) {
      if (line.data.status !== "in_progress" || line.data.paused) continue;
      const row = document.querySelector(`tr[data-attempt-id="${line.data.attempt_id}"]`);
      const cell = row && row.querySelector(".time-left");
      if (cell) {
        cell.textContent = clockText(remainingMs(line));
        cell.dataset.remainingMs = String(Math.round(remainingMs(line)));
      }
    }
  }

  function listen() {
    // EventSource cannot send headers: the stream takes the token as a query parameter.
    const url = `${API}/exams/${examId}/stream?access_token=${encodeURIComponent(token)}`;
    const source = new EventSource(url);
    source.addEventListener("open", () => {
      $("connection").textContent = "Live";
    });
    source.addEventListener("error", () => {
      $("connection").textContent = "Reconnecting…";
    });
    source.addEventListener("attempt", (event) => {
      const data = JSON.parse(event.data);
      const line = { data, receivedAt: performance.now() };
      const before = lines.get(data.attempt_id);
      lines.set(data.attempt_id, line);
      render(line);
      if (before && before.data.status !== data.status) {
        announce(`${data.candidate_id}: ${data.status.replace("_", " ")}`);
      }
    });
    source.addEventListener("heartbeat", () => {
      $("connection").textContent = "Live";
    });
  }

  const TITLES = { extend: "Extend", pause: "Pause", resume: "Resume", terminate: "Terminate" };

  function ask(action, attemptId) {
    const candidate = attemptId ? lines.get(attemptId).data.candidate_id : null;
    pending = { action, attemptId, candidate };
    $("dialog-title").textContent = `${TITLES[action]} ${candidate ? "this attempt" : "every attempt in progress"}`;
    $("dialog-target").textContent = candidate ? `Candidate ${candidate}` : "Every candidate still writing";
    $("seconds-field").hidden = action !== "extend";
    $("reason-input").value = "";
    $("action-dialog").showModal();
    $(action === "extend" ? "seconds-input" : "reason-input").focus();
  }

  async function confirm(event) {
    event.preventDefault();
    const reason = $("reason-input").value.trim();
    if (!reason) {
      $("reason-input").focus();
      return;
    }
    const { action, attemptId, candidate } = pending;
    const seconds = Number($("seconds-input").value);
    $("action-dialog").close();
    try {
      if (attemptId) {
        const path = { extend: "extensions", pause: "pause", resume: "resume", terminate: "terminate" }[action];
        await call("POST", `/attempts/${attemptId}/${path}`, action === "extend" ? { seconds, reason } : { reason });
      } else {
        const body = { action, reason, ...(action === "extend" ? { seconds } : {}) };
        const { affected } = await call("POST", `/exams/${examId}/time-control`, body);
        announce(`${TITLES[action]}: ${affected} attempts changed`);
      }
      showError("");
      if (candidate) announce(`${TITLES[action]} sent for ${candidate}`);
    } catch (error) {
      showError(`${TITLES[action]} failed: ${error.message}`);
    }
  }

  async function open() {
    try {
      const exam = await call("GET", `/exams/${examId}`);
      $("exam-title").textContent = exam.title;
      document.title = `Proctor · ${exam.title}`;
    } catch (error) {
      return showError(`The exam could not be read: ${error.message}`);
    }
    $("all-controls").hidden = false;
    $("attempts").hidden = false;
    listen();
    setInterval(tick, 250);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.body.addEventListener("click", (event) => {
      const target = event.target.closest("button[data-action]");
      if (target) ask(target.dataset.action, target.dataset.attemptId || null);
    });
    $("action-form").addEventListener("submit", confirm);
    $("dialog-cancel").addEventListener("click", () => $("action-dialog").close());
    $("sign-in").addEventListener("submit", (event) => {
      event.preventDefault();
      token = $("token-input").value.trim();
      sessionStorage.setItem("hourglass:admin-token", token);
      $("sign-in").hidden = true;
      open();
    });
    token = readToken();
    if (!token) {
      $("sign-in").hidden = false;
      $("token-input").focus();
      return;
    }
    open();
  });
})();
