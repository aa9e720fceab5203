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
  let state = null;
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
    el.textContent = clock(timer.remaining);
    const note = document.createElement("small");
    note.textContent = timer.paused ? words.paused
      : (timer.remaining < 0 ? words.overtime : words.left);
    el.appendChild(note);
    el.classList.toggle("overtime", timer.remaining < 0);
    el.classList.toggle("warning", !!timer.warning);
  }

  function show(s) {
    state = s;
    set("phase", s.phase);
    set("title", s.title);
    set("rule", s.rule);
    set("now", s.now ? words.now + ": " + s.now : "");
    set("next", s.next ? words.next + ": " + s.next : "");
    set("round", s.round);
    set("case", s.case);
    set("focus", s.focus ? words.focus + ": " + s.focus : "");
    const instructions = $("instructions");
    // Only when changed: the state comes every second, and a reader's selection would go.
    if (instructions && shownInstructions !== s.instructions) {
      instructions.innerHTML = s.instructions || "";
      shownInstructions = s.instructions;
    }
    const ended = $("ended");
    if (ended) { ended.hidden = !s.ended; ended.textContent = words.ended; }
    showTimer(s.timer);
    showVote(s.vote);
    showForm(s);
  }

  function showVote(vote) {
    const box = $("vote");
    if (!box) { return; }
    box.hidden = !vote;
    if (!vote) { return; }
    const results = $("results");
    if (results) {
      const sorted = vote.options.slice().sort((a, b) => b.votes - a.votes);
      results.replaceChildren(...sorted.map((option) => {
        const li = document.createElement("li");
        const count = document.createElement("span");
        count.className = "count";
        count.textContent = option.votes + " " + words.votes;
        li.append(count, document.createTextNode(option.text));
        return li;
      }));
    }
    const list = $("options");
    if (list) {
      const chosen = mine && mine.id === vote.id ? mine.chosen : [];
      const left = mine && mine.id === vote.id ? mine.left : vote.each;
      set("votes-left", words.leftVotes.replace("{n}", left));
      list.replaceChildren(...vote.options.map((option) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = option.text;
        button.disabled = left <= 0 || chosen.includes(option.id);
        li.classList.toggle("chosen", chosen.includes(option.id));
        button.addEventListener("click", () => vote_for(vote.id, option.id));
        li.append(button);
        return li;
      }));
    }
  }

  function showForm(s) {
    const form = $("send");
    if (!form) { return; }
    const open = !!s.collect && !s.ended;
    form.hidden = !open;
    const closed = $("closed");
    closed.hidden = open;
    closed.textContent = words.closed;
    if (open) { set("hint", s.collect.hint); }
    let who = $("who");
    const box = $("who-box");
    // The facilitator may change whether names are taken while the page is open; the
    // server applies it to whatever is sent, this keeps the form honest about it.
    box.hidden = s.naming === "anonymous";
    if (box.hidden) { if (who) { who.remove(); } return; }
    if (!who) {
      who = document.createElement("select");
      who.id = "who";
      who.name = "who";
      who.append(new Option("", ""));
      box.append(who);
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

  async function post(url, fields) {
    const body = new URLSearchParams(fields);
    const response = await fetch(url, { method: "POST", body, credentials: "same-origin",
                                         headers: { "Accept": "application/json" } });
    const answer = await response.json().catch(() => ({ message: response.statusText }));
    return { ok: response.ok, answer };
  }

  async function vote_for(vote, option) {
    const { ok, answer } = await post("/vote", { vote, option });
    if (ok && answer.mine) { mine = answer.mine; }
    if (state) { showVote(state.vote); }
  }

  const form = $("send");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const { ok, answer } = await post("/contribute", new FormData(form));
        if (ok) {
          $("text").value = "";
          $("item").value = answer.next;
          set("status", words.sent);
        } else {
          set("status", words.notSent.replace("{why}", answer.message || ""));
        }
      } catch (error) {
        set("status", words.notSent.replace("{why}", words.offline));
      } finally {
        button.disabled = false;
      }
    });
  }

  function connect() {
    const kind = main.classList.contains("contribute") ? "contribute" : "view";
    const events = new EventSource("/events/" + kind);
    events.addEventListener("state", (event) => {
      $("offline").hidden = true;
      show(JSON.parse(event.data));
    });
    events.addEventListener("mine", (event) => {
      mine = JSON.parse(event.data);
      if (state) { showVote(state.vote); }
    });
    events.addEventListener("tick", (event) => showTimer(JSON.parse(event.data)));
    events.addEventListener("error", () => {
      const offline = $("offline");
      offline.textContent = words.offline;
      offline.hidden = false;
    });
  }
  connect();
})();
