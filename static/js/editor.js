/* CodeLearn's code editor: a plain <textarea> (works without JS, labelled, accessible) enhanced with
   a highlighted overlay, a line-number gutter, and editing keys. No third-party code.
   Keys: Tab / Shift+Tab indent and outdent; Enter keeps the indentation; Escape then Tab leaves the
   editor (no keyboard trap); Ctrl/Cmd+Enter submits the form. */
(function () {
  "use strict";

  var INDENT = "    ";
  var KEYWORDS = new Set(("False None True and as assert async await break class continue def del elif else " +
    "except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield " +
    "match case").split(" "));
  var BUILTINS = new Set(("print len range int str float bool list dict set tuple type isinstance enumerate zip " +
    "map filter sorted reversed sum min max abs round open input any all iter next super object self cls " +
    "Exception ValueError TypeError KeyError IndexError ZeroDivisionError StopIteration repr hasattr getattr " +
    "setattr format").split(" "));
  // One pass over the text: the first alternative that matches at a position wins.
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                                                   // 1 comment
    "((?:[rRbBuUfF]{0,2})(?:'''[\\s\\S]*?(?:'''|$)|\"\"\"[\\s\\S]*?(?:\"\"\"|$)|'(?:\\\\.|[^'\\\\\\n])*'?|\"(?:\\\\.|[^\"\\\\\\n])*\"?))", // 2 string
    "(\\b(?:0[xXoObB][\\da-fA-F_]+|\\d[\\d_]*(?:\\.\\d*)?(?:[eE][+-]?\\d+)?j?|\\.\\d+)\\b)", // 3 number
    "(@[A-Za-z_][\\w.]*)",                                                          // 4 decorator
    "([A-Za-z_]\\w*)",                                                              // 5 name
    "([-+*/%=<>!&|^~:]+)"                                                           // 6 operator
  ].join("|"), "g");

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(code) {
    var out = "";
    var last = 0;
    var previousName = "";
    TOKEN.lastIndex = 0;
    var match;
    while ((match = TOKEN.exec(code)) !== null) {
      if (match[0] === "") { TOKEN.lastIndex++; continue; }
      out += escapeHtml(code.slice(last, match.index));
      var text = escapeHtml(match[0]);
      var kind = "";
      if (match[1]) kind = "com";
      else if (match[2]) kind = "str";
      else if (match[3]) kind = "num";
      else if (match[4]) kind = "dec";
      else if (match[5]) {
        if (KEYWORDS.has(match[5])) kind = "kw";
        else if (previousName === "def" || previousName === "class") kind = "fn";
        else if (BUILTINS.has(match[5])) kind = "bi";
        previousName = match[5];
      } else if (match[6]) kind = "op";
      if (!match[5]) previousName = "";
      // a token over several lines (a triple-quoted string) is closed at each line end
      out += kind ? text.split("\n").map(function (part) {
        return '<span class="tok-' + kind + '">' + part + "</span>";
      }).join("\n") : text;
      last = match.index + match[0].length;
    }
    out += escapeHtml(code.slice(last));
    // One block per line: a long line wraps as the textarea wraps it, and the stylesheet numbers
    // the blocks (a wrapped line keeps one number). The last block is the line the caret can reach
    // after a final newline, so the overlay is as tall as the textarea.
    return out.split("\n").map(function (line) { return '<span class="ln">' + line + "\n</span>"; }).join("");
  }

  function lineStart(value, index) { return value.lastIndexOf("\n", index - 1) + 1; }

  function replaceRange(textarea, start, end, text, selectStart, selectEnd) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
    if (!done) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectStart !== undefined) textarea.setSelectionRange(selectStart, selectEnd);
  }

  function indentLines(textarea, outdent) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var multiLine = value.slice(start, end).indexOf("\n") !== -1;
    if (!outdent && !multiLine) {
      replaceRange(textarea, start, end, INDENT);
      return;
    }
    var blockStart = lineStart(value, start);
    var blockEnd = end > start && value[end - 1] === "\n" ? end - 1 : end;
    var lines = value.slice(blockStart, blockEnd).split("\n");
    var firstShift = 0;
    var total = 0;
    var changed = lines.map(function (line, i) {
      if (outdent) {
        var remove = line.match(/^ {0,4}/)[0].length;
        if (remove === 0 && line[0] === "\t") remove = 1;
        if (i === 0) firstShift = -Math.min(remove, start - blockStart);
        total -= remove;
        return line.slice(remove);
      }
      if (i === 0) firstShift = INDENT.length;
      total += INDENT.length;
      return INDENT + line;
    });
    var text = changed.join("\n");
    replaceRange(textarea, blockStart, blockEnd, text,
      multiLine ? blockStart : Math.max(blockStart, start + firstShift),
      multiLine ? blockStart + text.length : Math.max(blockStart, end + firstShift));
  }

  function newLine(textarea) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var current = value.slice(lineStart(value, start), start);
    var indent = current.match(/^[ \t]*/)[0];
    if (/:\s*(#.*)?$/.test(current)) indent += INDENT;
    replaceRange(textarea, start, textarea.selectionEnd, "\n" + indent);
  }

  function Editor(root) {
    this.root = root;
    this.textarea = root.querySelector("textarea");
    this.code = root.querySelector("[data-highlight]");
    this.overlay = root.querySelector(".editor-highlight");
    this.gutter = root.querySelector("[data-gutter]");
    this.escaped = false;
    this.lines = 0;
    root.classList.add("is-enhanced");
    this.textarea.addEventListener("input", this.refresh.bind(this));
    this.textarea.addEventListener("scroll", this.syncScroll.bind(this));
    this.textarea.addEventListener("keydown", this.onKey.bind(this));
    this.textarea.addEventListener("blur", function () { this.escaped = false; }.bind(this));
    window.addEventListener("resize", this.fitHeight.bind(this)); // a narrower pane wraps more
    this.refresh();
  }

  Editor.prototype.refresh = function () {
    var value = this.textarea.value;
    this.code.innerHTML = highlight(value);
    var lines = value.split("\n").length;
    if (lines !== this.lines) {
      this.lines = lines;
      this.gutter.textContent = String(lines); // sizes the gutter; the numbers are the overlay's
      this.textarea.rows = Math.max(10, lines + 1);
    }
    this.fitHeight();
    this.syncScroll();
  };

  // Grows with the code, wrapped lines included: no inner vertical scroll.
  Editor.prototype.fitHeight = function () {
    var textarea = this.textarea;
    textarea.style.height = "";
    if (textarea.scrollHeight > textarea.clientHeight) textarea.style.height = textarea.scrollHeight + "px";
  };

  Editor.prototype.syncScroll = function () {
    this.overlay.scrollLeft = this.textarea.scrollLeft;
    this.overlay.scrollTop = this.textarea.scrollTop;
  };

  Editor.prototype.setValue = function (value) {
    this.textarea.value = value;
    this.refresh();
  };

  Editor.prototype.onKey = function (event) {
    var textarea = this.textarea;
    if (event.key === "Escape") {
      this.escaped = true; // the next Tab moves focus out, as the visible hint says
      return;
    }
    if (event.key === "Tab") {
      if (this.escaped || event.ctrlKey || event.altKey || event.metaKey) { this.escaped = false; return; }
      event.preventDefault();
      indentLines(textarea, event.shiftKey);
      return;
    }
    if (event.key !== "Shift" && event.key !== "Control" && event.key !== "Alt" && event.key !== "Meta") {
      this.escaped = false; // Escape then Shift+Tab also leaves, backwards
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      var form = textarea.form;
      var submit = form && form.querySelector("[data-submit]");
      if (form) { if (form.requestSubmit) form.requestSubmit(submit || undefined); else form.submit(); }
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing) {
      event.preventDefault();
      newLine(textarea);
    }
  };

  window.CodeLearnEditor = { Editor: Editor, highlight: highlight };
  document.querySelectorAll("[data-editor]").forEach(function (root) {
    root.editor = new Editor(root);
  });
})();
