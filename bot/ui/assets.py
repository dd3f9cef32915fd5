"""Static assets of the web UI: example questions, the two inline scripts, CSS and the theme."""
from __future__ import annotations

from typing import Any

import gradio as gr

EXAMPLES = [
    "我们小厂想做质量认证，政府有帮扶吗？",
    "天津实施意见第15条讲什么",
    "广东那份文件讲技术性贸易壁垒的是第几条？",
    "天津和国家的文件在计量服务方面分别有什么要求？",
]

# Copy "citation + newline + text" from the button's data-copy attribute; falls back to a hidden
# textarea + execCommand where the Clipboard API is unavailable (plain http on a LAN address).
COPY_ONCLICK = (
    "(function(b){var t=b.getAttribute('data-copy')||'';"
    "var ok=function(){b.textContent='已复制';b.classList.add('pb-copied');"
    "setTimeout(function(){b.textContent='复制引用';b.classList.remove('pb-copied');},1500);};"
    "var fb=function(){var a=document.createElement('textarea');a.value=t;a.style.position='fixed';"
    "a.style.opacity='0';document.body.appendChild(a);a.select();"
    "try{document.execCommand('copy');ok();}catch(e){}document.body.removeChild(a);};"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(ok,fb);}else{fb();}"
    "})(this)"
)

# 复制对话: the conversation's plain form (bot.answer.text_form) from the hidden box onto the clipboard.
COPY_TEXT_JS = """
(t) => {
  var text = t || '';
  var fb = function () {
    var a = document.createElement('textarea'); a.value = text; a.style.position = 'fixed'; a.style.opacity = '0';
    document.body.appendChild(a); a.select();
    try { document.execCommand('copy'); } catch (e) {}
    document.body.removeChild(a);
  };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).catch(fb); } else { fb(); }
  var b = document.querySelector('#pb-copy-all');
  if (b && text) { var old = b.textContent; b.textContent = '已复制'; setTimeout(function () { b.textContent = old; }, 1500); }
  return [];
}
"""

# Clicking a citation link in the chat opens (and scrolls to) its <details> source entry.  Installed
# once per page from the sources panel's ``js_on_load``; delegated, so it survives re-renders.
CITE_LINK_JS = """
if (!window.__pbCiteLinks) {
  window.__pbCiteLinks = true;
  // A chat message's 复制 button: the hidden .pb-plain beside it holds the answer's plain form.
  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('button.pb-msg-copy') : null;
    if (!b) return;
    e.preventDefault();
    e.stopPropagation();
    var p = b.parentNode ? b.parentNode.querySelector('.pb-plain') : null;
    var t = p ? p.textContent : '';
    var ok = function () { b.textContent = '已复制'; setTimeout(function () { b.textContent = '复制'; }, 1500); };
    var fb = function () {
      var a = document.createElement('textarea'); a.value = t; a.style.position = 'fixed'; a.style.opacity = '0';
      document.body.appendChild(a); a.select();
      try { document.execCommand('copy'); ok(); } catch (err) {}
      document.body.removeChild(a);
    };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(t).then(ok, fb); } else { fb(); }
  }, true);
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[href^="#cite-"]') : null;
    if (!a) return;
    var el = document.getElementById(a.getAttribute('href').slice(1));
    if (!el) return;
    e.preventDefault();
    e.stopPropagation();
    if (el.tagName === 'DETAILS') el.open = true;
    el.scrollIntoView({behavior: 'smooth', block: 'center'});
    el.classList.add('pb-flash');
    setTimeout(function () { el.classList.remove('pb-flash'); }, 1600);
  }, true);
}
"""

# The search desk's step bar: its buttons (and ← / → outside a text field, on the 条款检索 tab) press
# the hidden Gradio buttons #pb-step-prev / #pb-step-next, whose handlers replace the shown clause.
# Also: the dropdowns narrow as one types Chinese (see refilter).
STEP_JS = """
if (!window.__pbStep) {
  window.__pbStep = true;
  var press = function (step) {
    var bar = document.querySelector('#pb-lookup-results .pb-step-bar');
    if (!bar || bar.offsetParent === null) return false;
    var b = bar.querySelector('button.pb-step[data-step="' + step + '"]');
    if (!b || b.disabled) return false;
    var g = document.querySelector(step === 'prev' ? '#pb-step-prev' : '#pb-step-next');
    if (g) g.click();
    return !!g;
  };
  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('#pb-lookup-results button.pb-step') : null;
    if (!b) return;
    e.preventDefault();
    press(b.getAttribute('data-step'));
  }, true);
  // Gradio's dropdown filters its list on keydown only; text from an input method (all Chinese
  // typing) arrives without one, so the list never narrowed.  Re-filter on every committed input.
  var refilter = function (e) {
    var t = e.target;
    if (!t || t.getAttribute('role') !== 'combobox' || e.isComposing) return;
    t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Unidentified', bubbles: true}));
  };
  document.addEventListener('input', refilter, true);
  document.addEventListener('compositionend', refilter, true);
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (press(e.key === 'ArrowLeft' ? 'prev' : 'next')) e.preventDefault();
  });
}
"""

CSS = """
#pb-header h1 { margin-bottom: 0.2em; }
#pb-mode { color: var(--body-text-color-subdued); }
.pb-sources, .pb-results, .pb-outline { font-size: 15px; line-height: 1.7; }
.pb-sources h3, .pb-results h3 { margin: 0.3em 0 0.5em; font-size: 1.05em; }
.pb-empty { color: var(--body-text-color-subdued); padding: 0.5em 0; }
.pb-error { color: #b42318; padding: 0.5em 0; }
details.pb-source, details.pb-clause, article.pb-card {
  border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.5em 0.8em;
  margin: 0 0 0.6em; background: var(--background-fill-primary);
}
details.pb-source > summary, details.pb-clause > summary { cursor: pointer; font-weight: 600; }
details.pb-source[open] > summary, details.pb-clause[open] > summary { margin-bottom: 0.4em; }
.pb-marker { color: var(--color-accent); margin-right: 0.3em; }
.pb-meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 0.8em; margin: 0.3em 0;
  font-size: 0.92em; }
.pb-meta dt { color: var(--body-text-color-subdued); }
.pb-meta dd { margin: 0; }
.pb-citation { font-size: 0.9em; color: var(--body-text-color-subdued); margin: 0.3em 0; }
.pb-text { white-space: pre-wrap; margin: 0.3em 0; }
.pb-text mark, .pb-card mark { background: #fff1a8; color: inherit; padding: 0 1px; border-radius: 2px; }
.pb-card header { display: flex; flex-wrap: wrap; gap: 0.3em 0.6em; align-items: baseline; }
.pb-doc { font-weight: 700; }
.pb-item { background: var(--color-accent-soft); border-radius: 4px; padding: 0 0.4em; }
.pb-item-label { font-weight: 400; font-size: 0.85em; color: var(--body-text-color-subdued); margin-left: 0.5em; }
.pb-dept { font-size: 0.9em; color: var(--body-text-color-subdued); }
.pb-status { font-size: 0.82em; font-weight: 600; border-radius: 4px; padding: 0 0.4em; margin-left: 0.3em; }
.pb-status.pb-in-force { background: #d1fadf; color: #05603a; }
.pb-status.pb-not-in-force { background: #fee4e2; color: #b42318; }
.pb-heading { font-size: 0.9em; color: var(--body-text-color-subdued); }
.pb-copy { margin-left: auto; font-size: 0.85em; padding: 0.1em 0.7em; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--button-secondary-background-fill); }
.pb-copy.pb-copied { background: #d1fadf; }
.pb-count { color: var(--body-text-color-subdued); margin: 0.2em 0 0.6em; }
.pb-group { margin: 0.8em 0 0.4em; font-weight: 700; }
.pb-group.pb-level-2 { margin-left: 1em; font-weight: 600; }
.pb-refused { border-left: 4px solid #f79009; padding-left: 0.6em; }
.pb-block { border-left: 3px solid var(--color-accent-soft); padding-left: 0.6em; margin: 0.3em 0; }
details.pb-see-also > summary { cursor: pointer; color: var(--body-text-color-subdued); }
.pb-answer p { margin: 0.2em 0; }
.pb-plain { display: none; }
.pb-notice { color: var(--body-text-color-subdued); border-left: 3px solid #f79009; padding-left: 0.5em; }
.pb-list-title { margin-top: 0.4em; color: var(--body-text-color-subdued); }
ul.pb-list { margin: 0.2em 0 0.2em 1.2em; padding: 0; font-size: 0.92em; }
.pb-msg-copy { font-size: 0.8em; padding: 0 0.6em; margin-top: 0.3em; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--button-secondary-background-fill); }
.pb-flash { outline: 3px solid var(--color-accent); }
.pb-offscreen { display: none !important; }
.pb-step-bar { display: flex; gap: 0.6em; align-items: center; justify-content: space-between; margin: 0.3em 0 0.6em; }
.pb-step { font-size: 0.95em; padding: 0.25em 0.9em; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--button-secondary-background-fill); }
.pb-step[disabled] { opacity: 0.45; cursor: default; }
.pb-step-hint { font-size: 0.85em; color: var(--body-text-color-subdued); }
"""

THEME = gr.themes.Default(
    primary_hue="blue",
    font=["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "ui-sans-serif",
          "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "ui-monospace", "Consolas", "monospace"],
)


TEMP_FILE_TTL = (600, 600)
"""Gradio's ``delete_cache``: every 10 minutes, delete cached/uploaded temp files older than 10 minutes
(an upload's temp copy is deleted right after its import; this catches what never reached one)."""


def launch_options() -> dict[str, Any]:
    """App-level options that Gradio 6 takes in ``launch()`` (not in ``Blocks``); the middleware of each
    app (its gate, every page in Chinese) is in :mod:`bot.ui.gate`."""
    return {"theme": THEME, "css": CSS}
