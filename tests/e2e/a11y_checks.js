// Checks the browser tests run inside a page (evaluated through the DevTools protocol, so the
// page's CSP stays in force for the page itself). Sets window.__checks.
window.__checks = (() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  // WCAG relative luminance and contrast ratio
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const blend = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  // The colour painted behind el: its own and its ancestors' backgrounds, over the page's.
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) color = blend(layers[i], color);
    return color;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  return {
    // text colour against what is behind it
    text: (el) => { const bg = background(el); return ratio(blend(parse(getComputedStyle(el).color), bg), bg); },
    // a focus outline against what is around the element (its parent's background); 0 when none
    outline: (el) => {
      const s = getComputedStyle(el);
      if (s.outlineStyle === "none" || parseFloat(s.outlineWidth) < 2) return 0;
      return ratio(parse(s.outlineColor), background(el.parentElement || el));
    },
    // the page's width beyond the viewport, with the elements sticking out; null when it fits
    overflow: () => {
      const width = window.innerWidth, doc = document.documentElement.scrollWidth;
      if (doc <= width) return null;
      const wide = [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > width + 0.5)
        .map(el => name(el) + " right=" + Math.round(el.getBoundingClientRect().right));
      return { viewport: width, document: doc, elements: wide.slice(0, 6) };
    },
    name: name,
  };
})();
