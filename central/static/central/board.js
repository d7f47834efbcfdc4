// The display board (central/templates/central/board.html): polls its state, shows and speaks calls.
// A file, not an inline script, so the Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  "use strict";
  const url = document.body.dataset.stateUrl;
  const heard = new Set();
  let first = true;
  const digits = "零一二三四五六七八九";
  const speakable = (n) => n.split("").map((c) => (c >= "0" && c <= "9") ? digits[+c] : c).join(" ");
  function say(call) {
    if (!("speechSynthesis" in window)) return;
    const text = "请 " + speakable(call.number) + " 号，到 " + call.counter + " 号窗口";
    const u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN"; u.rate = 0.85;
    window.speechSynthesis.speak(u);
    window.speechSynthesis.speak(Object.assign(new SpeechSynthesisUtterance(text), {lang: "zh-CN", rate: 0.85}));
  }
  function el(tag, text, cls) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function render(state) {
    const current = document.getElementById("current");
    current.replaceChildren();
    const calls = state.called.filter((c) => c.status === "called");
    if (calls.length) {
      const top = calls[0];
      current.append(el("div", "请 · Now serving", "label"));
      const line = el("div", undefined, "call");
      line.dataset.testid = "current-call";
      line.append(top.number, el("span", "→", "arrow"), "窗口 " + top.counter);
      current.append(line);
    } else {
      current.append(el("div", "请取号等候 · Please take a ticket", "empty"));
    }
    const recent = document.getElementById("recent");
    recent.replaceChildren(...state.called.slice(calls.length ? 1 : 0, 6).map((c) => {
      const d = el("div", c.number); d.append(el("small", c.counter ? "窗口 " + c.counter : "")); return d; }));
    document.getElementById("waiting").textContent = state.waiting.length
      ? "等候 · Waiting: " + state.waiting.map((w) => w.prefix + " " + w.service + " " + w.count + "人").join("　")
      : "当前无人等候 · No one waiting";
    document.getElementById("notes").textContent = state.announcements.join("　");
    for (const c of state.called.slice().reverse()) {
      if (c.status !== "called" || heard.has(c.key)) continue;
      heard.add(c.key);
      if (!first) say(c);
    }
    first = false;
  }
  async function poll() {
    try {
      const r = await fetch(url, {cache: "no-store"});
      if (r.ok) render(await r.json());
    } catch (e) { /* the next poll retries */ }
    setTimeout(poll, 2000);
  }
  function tick() { document.getElementById("clock").textContent = new Date().toLocaleTimeString("zh-CN", {hour12: false}); }
  document.getElementById("sound").addEventListener("click", (e) => {
    if ("speechSynthesis" in window) window.speechSynthesis.speak(new SpeechSynthesisUtterance("语音播报已开启"));
    e.target.remove();
  });
  setInterval(tick, 1000); tick(); poll();
})();
