/* The lesson page's learning loop over fetch(): run the tests, run the code, autosave the draft,
   reset, hints. Every action also works as a plain form post when this script does not run. */
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  if (!form) return;
  var editorRoot = form.querySelector("[data-editor]");
  var textarea = form.querySelector("textarea[name=code]");
  var submitButton = form.querySelector("[data-submit]");
  var runButton = form.querySelector("[data-run]");
  var stdin = form.querySelector("textarea[name=stdin]");
  var results = document.querySelector("[data-results]");
  var resultsError = document.querySelector("[data-results-error]");
  var outputCard = document.querySelector("[data-output-card]");
  var output = document.querySelector("[data-output]");
  var outputError = document.querySelector("[data-output-error]");
  var attemptsBadge = document.querySelector("[data-attempts-badge]");
  var completedBadge = document.querySelector("[data-completed-badge]");
  var announce = document.querySelector("[data-announce]");
  var hints = document.querySelector("[data-hints]");
  var saveStatus = form.querySelector("[data-save-status]");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var AUTOSAVE_MS = 1200;
  var saveTimer = null;
  var lastSaved = textarea.value;

  function post(url, data) {
    var body = new URLSearchParams(data || {});
    return fetch(url, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") === -1) {
        // A login page instead of JSON: the session ended while the page was open.
        throw new Error("Your session has ended. Reload the page and log in again; your last saved draft is kept.");
      }
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          var error = (json && json.error) || {};
          var message = error.message || "Something went wrong. Please try again.";
          throw new Error(message);
        }
        return json;
      });
    });
  }

  function say(text) {
    // Clear first so the same sentence twice is announced twice.
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 50);
  }

  // An error goes in its own slot above the last results, which stay in view (a refusal changes nothing).
  function showError(slot, message) {
    slot.innerHTML = "";
    var p = document.createElement("p");
    p.className = "form-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    slot.appendChild(p);
  }

  function setBusy(button, busy, label, region) {
    submitButton.disabled = busy; // one run of the learner's code at a time, whichever button started it
    if (runButton) runButton.disabled = busy;
    button.setAttribute("aria-busy", busy ? "true" : "false");
    button.classList.toggle("is-busy", busy);
    button.querySelector("[data-label]").textContent = label;
    region.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function showProgress(data) {
    if (typeof data.attempts !== "number") return;
    if (data.completed) {
      completedBadge.hidden = false;
      attemptsBadge.hidden = true;
    } else if (data.attempts > 0) {
      attemptsBadge.textContent = data.attempts + (data.attempts === 1 ? " attempt" : " attempts");
      attemptsBadge.hidden = false;
    }
  }

  // Bring the results into view inside the sticky workbench without scrolling the lesson text.
  function reveal(card) {
    var bench = card.closest(".workbench");
    if (!bench || bench.scrollHeight <= bench.clientHeight || getComputedStyle(bench).position !== "sticky") {
      card.scrollIntoView({ block: "nearest" });
      return;
    }
    var top = card.offsetTop;
    var bottom = top + card.offsetHeight;
    if (bottom > bench.scrollTop + bench.clientHeight) {
      bench.scrollTop = Math.min(top - 8, bottom - bench.clientHeight + 8);
    }
  }

  function setSaveStatus(text) { if (saveStatus) saveStatus.textContent = text; }

  function saveDraft() {
    window.clearTimeout(saveTimer);
    var code = textarea.value;
    if (code === lastSaved) { setSaveStatus("Draft saved"); return Promise.resolve(); }
    setSaveStatus("Saving…");
    return post(form.dataset.draftUrl, { code: code }).then(function () {
      lastSaved = code;
      setSaveStatus("Draft saved");
    }).catch(function (error) { setSaveStatus(error.message); });
  }

  textarea.addEventListener("input", function () {
    window.clearTimeout(saveTimer);
    setSaveStatus("Unsaved changes");
    saveTimer = window.setTimeout(saveDraft, AUTOSAVE_MS);
  });
  window.addEventListener("pagehide", function () {
    if (textarea.value !== lastSaved && navigator.sendBeacon) {
      var data = new FormData();
      data.append("code", textarea.value);
      data.append("csrf_token", token);
      data.append("quiet", "1"); // no "draft saved" message waiting on the next page
      navigator.sendBeacon(form.dataset.draftUrl, data);
    }
  });

  function runTests() {
    window.clearTimeout(saveTimer);
    setBusy(submitButton, true, "Running the tests…", results);
    say("Running the tests…");
    var code = textarea.value;
    post(form.action, { code: code }).then(function (data) {
      lastSaved = code; // the server saves the draft with every submission
      setSaveStatus("Draft saved");
      resultsError.innerHTML = "";
      results.innerHTML = data.html;
      showProgress(data);
      say(data.summary);
      var done = results.querySelector("#completion-title");
      if (done) done.focus({ preventScroll: true });
      reveal(results.closest(".results-card"));
    }).catch(function (error) {
      showError(resultsError, error.message);
      say(error.message);
      reveal(results.closest(".results-card"));
    }).then(function () { setBusy(submitButton, false, "Run the tests", results); });
  }

  function runCode() {
    window.clearTimeout(saveTimer);
    setBusy(runButton, true, "Running…", output);
    outputCard.hidden = false;
    say("Running your code…");
    var code = textarea.value;
    post(runButton.getAttribute("formaction").split("#")[0], { code: code, stdin: stdin ? stdin.value : "" })
      .then(function (data) {
        lastSaved = code; // a run keeps the draft too
        setSaveStatus("Draft saved");
        outputError.innerHTML = "";
        output.innerHTML = data.html;
        say(data.summary);
      }).catch(function (error) {
        showError(outputError, error.message);
        say(error.message);
      }).then(function () {
        setBusy(runButton, false, "Run code", output);
        reveal(outputCard);
      });
  }

  function resetToStarter() {
    if (!window.confirm("Replace your code with the starter code? Your current code will be lost.")) return;
    window.clearTimeout(saveTimer);
    post(form.dataset.resetUrl).then(function (data) {
      editorRoot.editor ? editorRoot.editor.setValue(data.code) : (textarea.value = data.code);
      lastSaved = data.code;
      setSaveStatus("Back to the starter code");
      textarea.focus();
    }).catch(function (error) { showError(resultsError, error.message); });
  }

  function askAiHint(button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    post(button.getAttribute("formaction"), { code: textarea.value }).then(function (data) {
      hints.innerHTML = data.html;
      say("AI hint: " + data.text);
      var shown = document.getElementById("ai-hint");
      if (shown) shown.focus();
    }).catch(function (error) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      say(error.message);
      var p = document.createElement("p");
      p.className = "form-error";
      p.textContent = error.message;
      hints.appendChild(p);
    });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    event.preventDefault();
    if (submitter && submitter.hasAttribute("data-reset")) return resetToStarter();
    if (submitter && submitter.hasAttribute("data-save")) return saveDraft();
    if (submitter && submitter.hasAttribute("data-ai-hint")) return askAiHint(submitter);
    if (submitButton.disabled) return;
    if (submitter && submitter.hasAttribute("data-run")) return runCode();
    runTests();
  });

  // Ctrl/Cmd+Shift+Enter runs the code. Caught on the way down to the editor, whose own
  // Ctrl/Cmd+Enter handler would otherwise run the tests.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.shiftKey || !(event.ctrlKey || event.metaKey) || !runButton) return;
    event.preventDefault();
    event.stopPropagation();
    if (!runButton.disabled) runCode();
  }, true);

  // Hint buttons live outside the editor form and are replaced after each reveal: delegate.
  hints.addEventListener("submit", function (event) {
    var hintForm = event.target.closest("[data-hint-form]");
    if (!hintForm) return;
    event.preventDefault();
    var button = hintForm.querySelector("button");
    button.disabled = true;
    post(hintForm.action).then(function (data) {
      hints.innerHTML = data.html;
      var newest = document.getElementById("hint-" + data.revealed);
      if (newest) { newest.focus(); say(newest.textContent); }
    }).catch(function (error) { button.disabled = false; say(error.message); });
  });
  // The AI hint button submits the editor form (it needs the code) from outside it.
  hints.addEventListener("click", function (event) {
    var button = event.target.closest("[data-ai-hint]");
    if (!button) return;
    event.preventDefault();
    askAiHint(button);
  });
})();
