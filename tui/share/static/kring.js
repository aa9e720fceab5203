// Kring's view and contribute pages: the meeting's state arrives as server-sent events and is
// written into the page with textContent only (never as HTML), but for the instructions: the
// server renders them from the protocol's Markdown with raw HTML, links and images off
// (sessions/share/instructions.py), and the page's policy runs no inline script anyway.
// Every request goes to this server; nothing is loaded from anywhere else.
"use strict";
(function () {
  const main = document.querySelector("main");
  const words = main.dataset;
  const $ = (id) => document.getElementById(id);
  const set = (id, text) => { const el = $(id); if (el) { el.textContent = text || ""; } };
  // An element with nothing to say is hidden, so no empty heading or line is announced.
  const fill = (id, text) => {
    const el = $(id);
    if (el) { el.textContent = text || ""; el.hidden = !text; }
  };
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  // English and Dutch both have nplurals=2, plural=(n != 1): the server renders the two forms
  // of each count (ngettext for 1 and for 2) into data attributes and n picks one here.
  const count = (key, n) =>
    (n === 1 ? words[key + "One"] : words[key + "Other"]).replace("{n}", numbers.format(n));
  let state = null;
  let lastPhase = null; // what the page showed last: a change is a new phase
  let wasOver = null; // null until the first tick: a page opened in overtime is not told

  // A phase's end on the phone: a visible flash, and a vibration where the phone has one
  // (the browser may allow it only once the page was touched). Never a sound: a room of
  // phones is quiet by default.
  function signal() {
    const body = document.body;
    body.classList.remove("signal");
    void body.offsetWidth; // restarts the animation when two signals come close together
    body.classList.add("signal");
    setTimeout(() => body.classList.remove("signal"), 3000);
    if (typeof navigator.vibrate === "function") {
      try { navigator.vibrate([200, 100, 200]); } catch (ignored) { /* not allowed yet */ }
    }
  }
  let mine = null;
  let shownInstructions = null;

  function clock(seconds) {
    const over = seconds < 0;
    let s = Math.abs(seconds);
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    const two = (n) => String(n).padStart(2, "0");
    const text = (h ? h + ":" + two(m) : two(m)) + ":" + two(s);
    return (over ? "+" : "") + text;
  }

  function showTimer(timer) {
    const el = $("timer");
    if (!el || !timer) { return; }
    const over = timer.remaining <= 0 && !timer.paused;
    if (over && wasOver === false) { signal(); } // the phase's time is up, now
    wasOver = over;
    el.textContent = clock(timer.remaining);
    const note = document.createElement("small");
    note.textContent = timer.paused ? words.paused
      : (timer.remaining < 0 ? words.overtime : words.left);
    el.appendChild(note);
    el.classList.toggle("overtime", timer.remaining < 0);
    el.classList.toggle("warning", !!timer.warning);
  }

  function show(s) {
    const phase = (s.phase || "") + "\n" + (s.title || "");
    if (lastPhase !== null && phase !== lastPhase && !s.ended) { signal(); }
    lastPhase = phase;
    state = s;
    fill("phase", s.phase);
    set("title", s.title);
    fill("rule", s.rule);
    set("now", s.now ? words.now + ": " + s.now : "");
    set("next", s.next ? words.next + ": " + s.next : "");
    fill("round", s.round);
    fill("case", s.case);
    fill("focus", s.focus ? words.focus + ": " + s.focus : "");
    const instructions = $("instructions");
    // Only when changed: the state comes every second, and a reader's selection would go.
    if (instructions && shownInstructions !== s.instructions) {
      instructions.innerHTML = s.instructions || "";
      shownInstructions = s.instructions;
    }
    fill("ended", s.ended ? words.ended : "");
    const minutes = $("minutes");
    if (minutes) { minutes.hidden = !s.minutes; }
    showTimer(s.timer);
    showVote(s.vote);
    showForm(s);
  }

  // -- votes -----------------------------------------------------------------------------------

  function showVote(vote) {
    const box = $("vote");
    if (!box) { return; }
    box.hidden = !vote;
    if (!vote) { return; }
    // Hidden counts come as null: none is shown, and the order stays the vote's own, since
    // an order by count would tell what the counts hide.
    const hidden = !!vote.hidden;
    $("counts-hidden").hidden = !hidden;
    const results = $("results");
    if (results) {
      fill("voters", typeof vote.voters === "number" ? count("voters", vote.voters) : "");
      const shown = hidden ? vote.options.slice()
        : vote.options.slice().sort((a, b) => (b.votes || 0) - (a.votes || 0));
      results.replaceChildren(...shown.map((option) => {
        const li = document.createElement("li");
        if (!hidden && typeof option.votes === "number") {
          const votes = document.createElement("span");
          votes.className = "count";
          votes.textContent = count("votes", option.votes);
          li.append(votes, " ");
        }
        li.append(document.createTextNode(option.text));
        return li;
      }));
    }
    const list = $("options");
    if (list) {
      const ours = mine && mine.id === vote.id;
      const chosen = ours ? mine.chosen : [];
      const left = ours ? mine.left : vote.each;
      set("votes-left", count("votesLeft", left));
      // The list is drawn anew at every change in the room: a keyboard's place is kept.
      const focused = list.contains(document.activeElement)
        ? document.activeElement.dataset.option : null;
      list.replaceChildren(...vote.options.map((option) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        const taken = chosen.includes(option.id);
        button.type = "button";
        button.dataset.option = option.id;
        button.textContent = option.text;
        // A toggle: pressed is a vote given, pressing it again takes the vote back.
        button.setAttribute("aria-pressed", taken ? "true" : "false");
        button.disabled = !taken && left <= 0;
        li.classList.toggle("chosen", taken);
        button.addEventListener("click", () => cast(vote.id, option.id, taken));
        li.append(button);
        return li;
      }));
      const again = focused && Array.from(list.querySelectorAll("button"))
        .find((b) => b.dataset.option === focused && !b.disabled);
      if (again) { again.focus(); }
    }
  }

  async function post(url, fields) {
    const body = new URLSearchParams(fields);
    const response = await fetch(url, { method: "POST", body, credentials: "same-origin",
                                         headers: { "Accept": "application/json" } });
    const answer = await response.json().catch(() => ({ message: response.statusText }));
    return { ok: response.ok, answer };
  }

  // One ballot at a time. Not by disabling the button: that would take a keyboard's focus.
  let casting = false;
  async function cast(vote, option, undo) {
    if (casting) { return; }
    casting = true;
    const fields = undo ? { vote, option, undo: "1" } : { vote, option };
    try {
      const { ok, answer } = await post("/vote", fields);
      if (ok && answer.mine !== undefined) { mine = answer.mine; }
      set("vote-status", ok ? "" : words.notSent.replace("{why}", answer.message || ""));
    } catch (error) {
      set("vote-status", words.notSent.replace("{why}", words.noConnection));
    } finally {
      casting = false;
    }
    if (state) { showVote(state.vote); }
  }

  // -- the form --------------------------------------------------------------------------------

  function showForm(s) {
    const form = $("send");
    if (!form) { return; }
    const open = !!s.collect && !s.ended;
    form.hidden = !open;
    fill("closed", open ? "" : words.closed);
    if (open) { set("hint", s.collect.hint); }
    // An evaluation asks for a score first, and its line may stay empty. Outside one the
    // score is disabled too: a choice left in it is not sent with anything else.
    const evaluating = open && s.collect.kind === "evaluation";
    const scores = $("score-box");
    if (scores) {
      scores.hidden = !evaluating;
      scores.disabled = !evaluating;
      scores.querySelectorAll("input").forEach((radio) => { radio.required = evaluating; });
    }
    if (text) { text.required = !evaluating; }
    let who = $("who");
    const box = $("who-box");
    // The facilitator may change whether names are taken while the page is open; the
    // server applies it to whatever is sent, this keeps the form honest about it.
    box.hidden = s.naming === "anonymous";
    fill("names-note", s.naming === "named" ? words.namesNote : "");
    if (box.hidden) { if (who) { who.remove(); } return; }
    if (!who) {
      who = document.createElement("select");
      who.id = "who";
      who.name = "who";
      who.setAttribute("aria-describedby", "names-note");
      who.append(new Option("", ""));
      box.querySelector("label").after(who);
    }
    who.required = s.naming === "named";
    who.options[0].textContent = who.required ? words.chooseName : words.anonymous;
    const names = Array.from(who.options).slice(1).map((o) => o.textContent);
    if (names.join("\n") !== s.names.join("\n")) {
      const keep = who.value;
      who.replaceChildren(who.options[0], ...s.names.map((name, index) => {
        const option = document.createElement("option");
        option.value = String(index);
        option.textContent = name;
        return option;
      }));
      who.value = keep;
    }
  }

  const text = $("text");
  let saying = null;
  function showCount() {
    const counter = $("count");
    const left = Number(counter.dataset.max) - text.value.length;
    counter.textContent = count("charsLeft", left);
    // Said when the typing pauses, not at every key.
    clearTimeout(saying);
    saying = setTimeout(() => set("count-said", counter.textContent), 1000);
  }
  if (text) { text.addEventListener("input", showCount); }

  const form = $("send");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const { ok, answer } = await post("/contribute", new FormData(form));
        if (ok) {
          text.value = "";
          form.querySelectorAll('input[name="score"]').forEach((radio) => {
            radio.checked = false;
          });
          showCount();
          $("item").value = answer.next;
          set("status", words.sent);
        } else {
          set("status", words.notSent.replace("{why}", answer.message || ""));
        }
      } catch (error) {
        set("status", words.notSent.replace("{why}", words.noConnection));
      } finally {
        button.disabled = false;
      }
    });
  }
  // A page reloaded after a plain post would say Sent again.
  if (location.search) { history.replaceState(null, "", location.pathname); }

  // -- the stream, and coming back after losing it ---------------------------------------------

  // EventSource retries a dropped stream by itself, but gives up for good on an HTTP error
  // (a 429 when the room is full, a 401, a server that restarts): every error is handled
  // here instead, with back-off and jitter so a room of phones does not come back at once.
  const BACKOFF = [1, 2, 4, 8, 15];
  let events = null;
  let failures = 0;
  let retry = null;

  function offline(text) {
    const el = $("offline");
    el.textContent = text;
    el.hidden = !text;
  }

  function connect() {
    clearTimeout(retry);
    retry = null;
    if (events) { events.close(); }
    const kind = main.classList.contains("contribute") ? "contribute" : "view";
    const source = new EventSource("/events/" + kind);
    events = source;
    source.addEventListener("state", (event) => {
      failures = 0;
      offline("");
      show(JSON.parse(event.data));
    });
    source.addEventListener("mine", (event) => {
      mine = JSON.parse(event.data);
      if (state) { showVote(state.vote); }
    });
    source.addEventListener("tick", (event) => showTimer(JSON.parse(event.data)));
    source.addEventListener("error", async () => {
      if (source !== events) { return; }
      source.close();
      events = null;
      // A stream cannot tell why it failed; the page's own address can: 401 is a link
      // revoked (or a session ended), and no retry brings that back.
      const asked = await fetch(location.pathname, { method: "HEAD", cache: "no-store" })
        .catch(() => null);
      if (asked && asked.status === 401) {
        offline(words.revoked);
        return;
      }
      const base = BACKOFF[Math.min(failures, BACKOFF.length - 1)];
      failures += 1;
      // ±25 %, and never past the longest wait.
      const seconds = Math.min(BACKOFF[BACKOFF.length - 1], base * (0.75 + Math.random() / 2));
      offline(count("offline", Math.max(1, Math.round(seconds))));
      retry = setTimeout(() => { offline(words.connecting); connect(); }, seconds * 1000);
    });
  }

  // A phone put down stops its timers; picked up again, it looks at once.
  function now() { if (retry !== null) { connect(); } }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") { now(); }
  });
  window.addEventListener("online", now);
  window.addEventListener("pageshow", (event) => { if (event.persisted) { connect(); } });
  connect();
})();
