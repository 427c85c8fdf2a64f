// Web chat: asks POST /api/ask, renders the consolidated answer with DOM nodes (textContent only, never
// innerHTML, so nothing in an answer can run), records 👍/👎 with POST /api/feedback, and keeps this tab's
// history in sessionStorage.
(function () {
  "use strict";
  var TEXT = {
    "en": {
      welcomeTitle: "Ask Resync", welcomeText: "Live status from HWA plus what the team knows: procedures, known solutions, owners.",
      placeholder: "Ask about a job, failures or the environment…", send: "Ask", thinking: "Looking it up…",
      status: "Live status", diagnosis: "Diagnosis", procedures: "Procedure", known: "Known solutions", owner: "Owner",
      links: "Links", sources: "Sources", nextStep: "Next step", health: "Environment", log: "Log tail",
      recoveredAfter: "recovered by a rerun after ", helpful: "Helpful", wrong: "Wrong", thanks: "Thanks for the feedback", error: "Could not get an answer: ",
      stale: "HWA unreachable; data from ", notices: {
        schedulerUnavailable: "HWA could not be reached; the status may be missing or stale.",
        noKnowledge: "The knowledge base has nothing on this yet.", knowledgeUnavailable: "The knowledge base is unavailable.",
        ambiguousJob: "Several jobs match this name: ", unknownJob: "No job by that name. Did you mean: ",
        declinedWrite: "Resync is read-only: it cannot rerun, cancel, hold or submit anything.",
        notUnderstood: "I did not understand the question.", accessDenied: "This channel may not see that object.",
        llmFallback: "The language model failed; this is the deterministic answer." },
      suggestions: ["show me the jobs that failed in the last 3 hours", "summarize the environment health", "status of PAYROLL_FINAL"]
    },
    "pt-BR": {
      welcomeTitle: "Pergunte ao Resync", welcomeText: "Status ao vivo do HWA e o que o time sabe: procedimentos, soluções conhecidas, responsáveis.",
      placeholder: "Pergunte sobre um job, falhas ou o ambiente…", send: "Perguntar", thinking: "Consultando…",
      status: "Status ao vivo", diagnosis: "Diagnóstico", procedures: "Procedimento", known: "Soluções conhecidas",
      owner: "Responsável", links: "Links", sources: "Fontes", nextStep: "Próximo passo", health: "Ambiente",
      log: "Final do log", recoveredAfter: "recuperado por rerun após ", helpful: "Ajudou", wrong: "Errado", thanks: "Obrigado pelo feedback",
      error: "Não foi possível obter resposta: ", stale: "HWA inacessível; dados de ", notices: {
        schedulerUnavailable: "O HWA não respondeu; o status pode estar ausente ou desatualizado.",
        noKnowledge: "A base de conhecimento ainda não tem nada sobre isso.",
        knowledgeUnavailable: "A base de conhecimento está indisponível.",
        ambiguousJob: "Vários jobs têm esse nome: ", unknownJob: "Nenhum job com esse nome. Você quis dizer: ",
        declinedWrite: "O Resync é somente leitura: não pode rodar de novo, cancelar, segurar ou submeter nada.",
        notUnderstood: "Não entendi a pergunta.", accessDenied: "Este canal não pode ver esse objeto.",
        llmFallback: "O modelo de linguagem falhou; esta é a resposta determinística." },
      suggestions: ["quais jobs falharam nas últimas 3 horas?", "resuma a saúde do ambiente", "status do PAYROLL_FINAL"]
    }
  };
  var body = document.body;
  var language = body.getAttribute("data-language") === "en" ? "en" : "pt-BR";
  var t = TEXT[language];
  var csrf = body.getAttribute("data-csrf") || "";
  var thread = document.getElementById("history");
  var form = document.getElementById("ask");
  var input = document.getElementById("question");
  var send = document.getElementById("send");
  var STORE = "resync.chat.history";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function section(parent, title) { parent.appendChild(el("h4", null, title)); }
  function list(parent, items) {
    var ul = el("ul");
    items.forEach(function (item) { ul.appendChild(typeof item === "string" ? el("li", null, item) : item); });
    parent.appendChild(ul);
  }
  function safeURL(url) { return /^https?:\/\//i.test(url) || /^\/(?!\/)/.test(url) ? url : null; }
  function caseOf(value) {
    if (value && typeof value === "object") { var key = Object.keys(value)[0]; return { name: key, data: value[key] || {} }; }
    return { name: String(value), data: {} };
  }

  function noticeText(notice) {
    var n = caseOf(notice);
    var base = t.notices[n.name] || n.name;
    if (n.name === "ambiguousJob") { return base + (n.data.candidates || []).join(", "); }
    if (n.name === "unknownJob") { return base + (n.data.suggestions || []).join(", "); }
    if (n.data.reason) { return base + " (" + n.data.reason + ")"; }
    return base;
  }

  function statusClass(answer) {
    var jobs = (answer.liveStatus && answer.liveStatus.jobs) || [];
    if (jobs.some(function (s) { return s.job && s.job.commonStatus === "ERROR"; })) { return "status-bad"; }
    if ((answer.notices || []).length) { return "status-warn"; }
    if (jobs.length) { return "status-good"; }
    return "";
  }

  // A job a rerun recovered: its current state is the rerun's, so its last failure is named beside it.
  function recoveredFailure(runs) {
    var failing = ["ABEND", "ABENP", "FAIL", "ERROR"];
    var failed = -1;
    runs.forEach(function (r, i) { if (r.commonStatus === "ERROR" || failing.indexOf(r.internalStatus) >= 0) { failed = i; } });
    if (failed < 0 || !runs.slice(failed + 1).some(function (r) { return r.commonStatus === "SUCCESSFUL"; })) { return null; }
    var f = runs[failed];
    return (f.internalStatus || f.commonStatus) + (f.returnCode !== undefined && f.returnCode !== null ? " RC " + f.returnCode : "");
  }

  function renderAnswer(answer, saved) {
    var card = el("article", "answer " + statusClass(answer));
    card.appendChild(el("h3", null, answer.headline || ""));
    (answer.notices || []).forEach(function (n) { card.appendChild(el("div", "notice", noticeText(n))); });
    var live = answer.liveStatus;
    if (live && ((live.jobs || []).length || (live.jobStreams || []).length)) {
      section(card, t.status);
      list(card, (live.jobs || []).map(function (s) {
        var j = s.job || {}; var run = (j.runs || [])[j.runs ? j.runs.length - 1 : 0] || {};
        // HWA's job id names the job stream's workstation (the one the job runs on only when that is unknown).
        var workstation = (j.jobStreamWorkstation || j.workstation || "").replace(/^\/(?=[^\/]*$)/, "");
        var line = workstation + "#" + (j.jobStreamName || "") + "." + (j.name || "") + " — " + (j.commonStatus || "");
        if (j.internalStatus) { line += " (" + j.internalStatus + ")"; }
        if (run.returnCode !== undefined && run.returnCode !== null) { line += " RC " + run.returnCode; }
        var failure = recoveredFailure(j.runs || []);
        if (failure) { line += " — " + t.recoveredAfter + failure; }
        return line;
      }).concat((live.jobStreams || []).map(function (s) { return s.workstation + "#" + s.name + " — " + s.commonStatus; })));
      (live.jobs || []).forEach(function (s) {
        if (s.logTail && s.logTail.length) { section(card, t.log); card.appendChild(el("pre", null, s.logTail.join("\n"))); }
      });
    }
    if (answer.health) {
      var h = answer.health; section(card, t.health);
      var counts = Object.keys(h.countsByStatus || {}).map(function (k) { return k + ": " + h.countsByStatus[k]; });
      list(card, counts.concat((h.workstationsNeedingAttention || []).map(function (w) { return "⚠ " + w.name; })));
    }
    var d = answer.diagnosis || {};
    if ((d.procedures || []).length) {
      section(card, t.procedures);
      (d.procedures || []).forEach(function (m) {
        var e = m.entry || {}; card.appendChild(el("strong", null, e.title || ""));
        if (e.procedure) { card.appendChild(el("pre", null, e.procedure)); }
      });
    }
    if ((d.knownSolutions || []).length) { section(card, t.known); list(card, d.knownSolutions.map(function (m) { return m.text; })); }
    if (answer.owner) { section(card, t.owner); card.appendChild(el("p", null, answer.owner.owner + ((answer.owner.contacts || []).length ? " — " + answer.owner.contacts.join(", ") : ""))); }
    if (answer.nextStep) { section(card, t.nextStep); card.appendChild(el("p", null, answer.nextStep)); }
    if (answer.body) { card.appendChild(el("p", null, answer.body)); }
    var links = (answer.links || []).filter(function (l) { return safeURL(l.url); });
    if (links.length) {
      section(card, t.links);
      list(card, links.map(function (l) {
        var li = el("li"); var a = el("a", null, l.title || l.url);
        a.href = safeURL(l.url); a.rel = "noopener noreferrer"; a.target = "_blank"; li.appendChild(a); return li;
      }));
    }
    if ((answer.sources || []).length) { section(card, t.sources); list(card, answer.sources.map(function (s) { return s.kind + ": " + s.title; })); }
    var meta = el("div", "meta");
    if (answer.elapsedMilliseconds) { meta.appendChild(el("span", null, Math.round(answer.elapsedMilliseconds) + " ms")); }
    meta.appendChild(feedbackButtons(answer, saved));
    card.appendChild(meta);
    return card;
  }

  function feedbackButtons(answer, saved) {
    var box = el("span", "feedback");
    [["positive", "👍", t.helpful], ["negative", "👎", t.wrong]].forEach(function (spec) {
      var button = el("button", null, spec[1]);
      button.type = "button"; button.title = spec[2]; button.setAttribute("aria-label", spec[2]);
      button.setAttribute("aria-pressed", saved && saved.vote === spec[0] ? "true" : "false");
      button.addEventListener("click", function () {
        fetch("/api/feedback", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ answerId: answer.id, polarity: spec[0] })
        }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) { b.setAttribute("aria-pressed", "false"); });
          button.setAttribute("aria-pressed", "true");
          remember(answer.id, spec[0]);
        }).catch(function () { button.title = t.error; });
      });
      box.appendChild(button);
    });
    return box;
  }

  function load() { try { return JSON.parse(sessionStorage.getItem(STORE) || "[]"); } catch (e) { return []; } }
  function save(items) { try { sessionStorage.setItem(STORE, JSON.stringify(items.slice(-30))); } catch (e) { /* full */ } }
  function remember(answerID, vote) {
    var items = load();
    items.forEach(function (item) { if (item.answer && item.answer.id === answerID) { item.vote = vote; } });
    save(items);
  }

  function showQuestion(text) {
    var row = el("div", "msg user"); row.appendChild(el("div", "bubble", text)); thread.appendChild(row);
    var welcome = document.getElementById("welcome"); if (welcome) { welcome.hidden = true; }
  }
  function showAnswer(answer, saved) {
    var row = el("div", "msg"); row.appendChild(renderAnswer(answer, saved)); thread.appendChild(row);
    row.scrollIntoView({ block: "end" });
  }

  function ask(question) {
    showQuestion(question);
    var pending = el("div", "msg thinking", t.thinking); thread.appendChild(pending);
    send.disabled = true;
    fetch("/api/ask", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ question: question, language: language })
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) { throw new Error((json.error && json.error.message) || String(response.status)); }
        return json;
      });
    }).then(function (answer) {
      pending.remove(); showAnswer(answer, null);
      var items = load(); items.push({ question: question, answer: answer }); save(items);
    }).catch(function (error) {
      pending.remove(); thread.appendChild(el("div", "msg answer status-bad", t.error + error.message));
    }).finally(function () { send.disabled = false; input.focus(); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (node) {
    node.textContent = t[node.getAttribute("data-i18n")];
  });
  input.placeholder = t.placeholder;
  var suggestions = document.getElementById("suggestions");
  t.suggestions.forEach(function (text) {
    var b = el("button", null, text); b.type = "button";
    b.addEventListener("click", function () { ask(text); });
    suggestions.appendChild(b);
  });
  load().forEach(function (item) { showQuestion(item.question); showAnswer(item.answer, item); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (question) { input.value = ""; ask(question); }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  var prefill = new URLSearchParams(window.location.search).get("q");
  if (prefill) { window.history.replaceState(null, "", window.location.pathname); ask(prefill); }
})();
