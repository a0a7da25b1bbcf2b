// The network diagram and editor: a column per layer (the input features with their on/off
// toggles, each hidden layer with its −/+ units and its activation, the output), every neuron a
// small map of its output over the plane, the links drawn by weight (thickness |w|, blue
// positive, orange negative). Hovering, focusing (arrow keys move between neurons) or clicking a
// neuron shows its values in a tooltip and its map in the big view; hovering a link shows its weight.

import { context2d, diverging, css, mapColours, paintCurve, PALETTE } from './draw.js';

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
};

const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/** how a layer's values are coloured: its activation's range */
function mapKind(act) {
  if (act === 'tanh') return 'signed';
  if (act === 'sigmoid') return 'probability';
  if (act === 'softmax') return 'share';
  return 'scaled';
}

export class Diagram {
  /**
   * @param root the element to fill
   * @param on { feature(id, on), units(layer, delta), activation(layer, act), focus({ layer, unit } | null) }
   */
  constructor(root, on) {
    this.root = root;
    this.on = on;
    this.links = [];
    this.frame = null;
    this.dirty = true;
    this.pinned = null;
    this.hovered = null;
    this.current = { layer: 0, unit: 0 };
    this.tip = el('div', { class: 'tip', id: 'diagram-tip', role: 'tooltip', hidden: true });
    this.canvas = el('canvas', { class: 'links', 'aria-hidden': 'true' });
    this.cols = el('div', { class: 'cols' });
    root.replaceChildren(this.canvas, this.cols, this.tip);
    root.addEventListener('mousemove', (e) => this.#hoverLink(e));
    root.addEventListener('mouseleave', () => this.#hideTip());
  }

  /**
   * Builds the columns. spec: { features: [{ id, label, on, usable }], hidden: [n…], activations,
   * activationChoices, output: { units, activation, label }, dims, names (class names) }
   */
  build(spec) {
    this.spec = spec;
    const cols = [];
    const inputs = el('div', { class: 'col inputs', role: 'group', 'aria-label': 'input features' }, el('div', { class: 'col-head' }, el('span', { class: 'col-title', text: 'inputs' })));
    const list = el('div', { class: 'units' });
    let k = 0;
    for (const f of spec.features) {
      const box = el('input', { type: 'checkbox', id: `feature-${f.id}`, 'data-feature': f.id, checked: f.on, disabled: !f.usable });
      box.addEventListener('change', () => this.on.feature(f.id, box.checked));
      const used = f.on && f.usable;
      const neuron = used ? this.#neuron(0, k++, `input ${f.label}`) : el('span', { class: 'neuron off', 'aria-hidden': 'true' });
      list.append(el('div', { class: `feature${used ? '' : ' unused'}` }, el('label', { for: `feature-${f.id}`, class: 'feature-name' }, box, el('span', { text: f.label })), neuron));
    }
    inputs.append(list);
    cols.push(inputs);
    spec.hidden.forEach((n, i) => {
      const l = i + 1;
      const minus = el('button', { type: 'button', class: 'mini', 'aria-label': `one unit fewer in hidden layer ${l}`, disabled: n <= 1, text: '−' });
      const plus = el('button', { type: 'button', class: 'mini', 'aria-label': `one unit more in hidden layer ${l}`, disabled: n >= spec.maxUnits, text: '+' });
      minus.addEventListener('click', () => this.on.units(i, -1));
      plus.addEventListener('click', () => this.on.units(i, +1));
      const act = el('select', { class: 'act', 'aria-label': `activation of hidden layer ${l}`, 'data-layer': i });
      for (const a of spec.activationChoices) act.append(el('option', { value: a, text: a, selected: a === spec.activations[i] }));
      act.addEventListener('change', () => this.on.activation(i, act.value));
      const head = el('div', { class: 'col-head' },
        el('span', { class: 'col-title', text: `layer ${l}` }),
        el('span', { class: 'units-ctl' }, minus, el('output', { class: 'count', 'aria-label': `units in hidden layer ${l}`, text: String(n) }), plus),
        act);
      const units = el('div', { class: 'units' });
      for (let u = 0; u < n; u++) units.append(this.#neuron(l, u, `hidden layer ${l}, unit ${u + 1} (${spec.activations[i]})`));
      cols.push(el('div', { class: 'col hidden-layer', role: 'group', 'aria-label': `hidden layer ${l}` }, head, units));
    });
    const L = spec.hidden.length + 1;
    const out = el('div', { class: 'units' });
    for (let u = 0; u < spec.output.units; u++) {
      const what = spec.output.units > 1 ? `output ${u + 1}, P(${spec.names[u] ?? `class ${u}`})` : 'the output';
      out.append(this.#neuron(L, u, `${what} (${spec.output.activation})`));
    }
    cols.push(el('div', { class: 'col output-layer', role: 'group', 'aria-label': 'output layer' },
      el('div', { class: 'col-head' }, el('span', { class: 'col-title', text: 'output' }), el('span', { class: 'col-note', text: spec.output.label })), out));
    this.cols.replaceChildren(...cols);
    this.root.classList.toggle('compact', Math.max(0, ...spec.hidden) > 8);
    const first = this.cols.querySelector('button.neuron');
    this.current = first ? { layer: Number(first.dataset.layer), unit: Number(first.dataset.unit) } : null;
    if (first) first.tabIndex = 0;
    if (this.pinned && !this.#find(this.pinned)) this.pinned = null;
    this.dirty = true; // the next update() measures the new columns
  }

  #neuron(layer, unit, label) {
    const b = el('button', { type: 'button', class: 'neuron', 'data-layer': layer, 'data-unit': unit, 'aria-label': label, 'aria-describedby': 'diagram-tip', 'aria-pressed': 'false', tabindex: -1 }, el('canvas', { width: 24, height: 24 }));
    const key = { layer, unit };
    b.addEventListener('mouseenter', () => this.#show(key, b));
    b.addEventListener('mouseleave', () => this.#unshow());
    b.addEventListener('focus', () => { this.#rove(b); this.#show(key, b); });
    b.addEventListener('blur', () => this.#unshow());
    b.addEventListener('click', () => {
      this.pinned = this.pinned && this.pinned.layer === layer && this.pinned.unit === unit ? null : key;
      for (const n of this.cols.querySelectorAll('button.neuron')) n.setAttribute('aria-pressed', String(n === b && this.pinned !== null));
      this.on.focus(this.pinned ?? key);
    });
    b.addEventListener('keydown', (e) => this.#arrows(e, layer, unit));
    return b;
  }

  #find({ layer, unit }) {
    return this.cols.querySelector(`button.neuron[data-layer="${layer}"][data-unit="${unit}"]`);
  }

  /** one tab stop for all neurons (roving tabindex) */
  #rove(b) {
    for (const n of this.cols.querySelectorAll('button.neuron')) n.tabIndex = n === b ? 0 : -1;
    this.current = { layer: Number(b.dataset.layer), unit: Number(b.dataset.unit) };
  }

  #arrows(e, layer, unit) {
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    const mv = moves[e.key];
    if (!mv) return;
    e.preventDefault();
    const target = this.#find({ layer: layer + mv[0], unit: unit + mv[1] })
      ?? (mv[0] !== 0 ? [...this.cols.querySelectorAll(`button.neuron[data-layer="${layer + mv[0]}"]`)].pop() : null);
    target?.focus();
  }

  #show(key, b) {
    this.hovered = key;
    this.on.focus(this.pinned ?? key);
    this.#tipFor(key, b);
  }

  #unshow() {
    this.hovered = null;
    this.on.focus(this.pinned);
    this.#hideTip();
  }

  #hideTip() {
    this.tip.hidden = true;
  }

  /** the tooltip text of a neuron: its bias and incoming weights */
  #neuronText({ layer, unit }) {
    const f = this.frame;
    const name = (l, u) => (l === 0 ? this.featureLabels[u] : l > this.spec.hidden.length ? `output ${u + 1}` : `layer ${l} unit ${u + 1}`);
    if (layer === 0) return `input ${name(0, unit)}: the feature's values over the plane`;
    const title = this.#find({ layer, unit })?.getAttribute('aria-label') ?? name(layer, unit);
    if (!f) return title;
    const p = f.params[layer - 1];
    const ws = [];
    for (let k = 0; k < p.cols && k < 16; k++) ws.push(`${name(layer - 1, k)} ${fmt(p.W[unit * p.cols + k])}`);
    if (p.cols > 16) ws.push('…');
    return `${title} · bias ${fmt(p.b[unit])} · weights in: ${ws.join(', ')}`;
  }

  #tipFor(key, b) {
    this.tip.textContent = this.#neuronText(key);
    this.#placeTip(b.offsetLeft + b.offsetWidth + 6 - this.root.scrollLeft, b.offsetTop - 4);
  }

  #placeTip(x, y) {
    this.tip.hidden = false;
    const maxX = this.root.clientWidth - this.tip.offsetWidth - 4;
    this.tip.style.left = `${Math.max(4, Math.min(x, maxX)) + this.root.scrollLeft}px`;
    this.tip.style.top = `${Math.max(0, y)}px`;
  }

  /** the link nearest the mouse (within 5 px), if the mouse is not on a neuron */
  #hoverLink(e) {
    if (e.target.closest?.('button.neuron, .col-head, input, label')) return;
    const r = this.cols.getBoundingClientRect();
    const x = e.clientX - r.left, y = e.clientY - r.top;
    let best = null, bestD = 25;
    for (const link of this.links) {
      for (let t = 0; t <= 1; t += 1 / 12) {
        const [px, py] = bezier(link, t);
        const d = (px - x) ** 2 + (py - y) ** 2;
        if (d < bestD) { bestD = d; best = link; }
      }
    }
    if (!best || !this.frame) {
      if (!this.hovered) this.#hideTip();
      return;
    }
    const p = this.frame.params[best.layer - 1];
    const w = p.W[best.to * p.cols + best.from];
    const from = best.layer === 1 ? this.featureLabels[best.from] : `layer ${best.layer - 1} unit ${best.from + 1}`;
    const to = best.layer > this.spec.hidden.length ? `output ${best.to + 1}` : `layer ${best.layer} unit ${best.to + 1}`;
    this.tip.textContent = `weight ${from} → ${to}: ${fmt(w)}`;
    this.#placeTip(x + 12 - this.root.scrollLeft + this.cols.offsetLeft, y - 8);
  }

  /** measures where the neurons are, in the columns' coordinates, per layer (after a build or a resize) */
  layout() {
    const r = this.cols.getBoundingClientRect();
    this.anchors = [];
    for (const b of this.cols.querySelectorAll('button.neuron')) {
      const c = b.getBoundingClientRect();
      const l = Number(b.dataset.layer);
      (this.anchors[l] ??= [])[Number(b.dataset.unit)] = { left: c.left - r.left, right: c.right - r.left, y: c.top - r.top + c.height / 2 };
    }
    const w = this.cols.scrollWidth, h = this.cols.scrollHeight;
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.canvas.style.left = `${this.cols.offsetLeft}px`;
    this.canvas.style.top = `${this.cols.offsetTop}px`;
  }

  #paintLinks() {
    const f = this.frame;
    const { ctx, w, h } = context2d(this.canvas);
    ctx.clearRect(0, 0, w, h);
    this.links = [];
    if (!f || !this.anchors) return;
    f.params.forEach((p, i) => {
      const l = i + 1;
      const src = this.anchors[l - 1] ?? [], dst = this.anchors[l] ?? [];
      for (let u = 0; u < p.rows; u++) {
        for (let k = 0; k < p.cols; k++) {
          const a = src[k], b = dst[u];
          if (!a || !b) continue;
          const wgt = p.W[u * p.cols + k];
          const link = { x0: a.right, y0: a.y, x1: b.left, y1: b.y, layer: l, from: k, to: u };
          this.links.push(link);
          ctx.beginPath();
          ctx.moveTo(link.x0, link.y0);
          const mx = (link.x0 + link.x1) / 2;
          ctx.bezierCurveTo(mx, link.y0, mx, link.y1, link.x1, link.y1);
          ctx.lineWidth = Math.min(4.5, 0.3 + 1.4 * Math.abs(wgt));
          ctx.strokeStyle = css(diverging(Math.sign(wgt) * Math.min(1, 0.35 + Math.abs(wgt))));
          ctx.globalAlpha = Math.min(1, 0.35 + Math.abs(wgt));
          ctx.stroke();
        }
      }
    });
    ctx.globalAlpha = 1;
  }

  /** a frame from the worker: every neuron's map and the links */
  update(frame, { dims, featureLabels, targetScale }) {
    this.frame = frame;
    this.featureLabels = featureLabels;
    if (this.dirty) {
      this.dirty = false;
      this.layout();
    }
    const acts = ['input', ...this.spec.activations, this.spec.output.activation];
    const n = frame.mapGrid;
    const count = dims === 2 ? n * n : n;
    frame.maps.forEach((values, l) => {
      const kind = l === 0 ? 'scaled' : mapKind(acts[l]);
      const units = values.length / count;
      for (let u = 0; u < units; u++) {
        const b = this.#find({ layer: l, unit: u });
        if (!b) continue;
        const canvas = b.firstChild;
        const v = values.subarray(u * count, (u + 1) * count);
        if (dims === 2) {
          canvas.width = n;
          canvas.height = n;
          const img = kind === 'share'
            ? shareColours(v, u)
            : mapColours(v, count, kind, { scale: l === acts.length - 1 && acts[l] === 'linear' ? targetScale : 1 });
          canvas.getContext('2d').putImageData(new ImageData(img, n, n), 0, 0);
        } else {
          const { ctx, w, h } = context2d(canvas);
          ctx.clearRect(0, 0, w, h);
          let lo = Math.min(...v), hi = Math.max(...v);
          if (kind === 'signed') [lo, hi] = [-1, 1];
          else if (kind === 'probability' || kind === 'share') [lo, hi] = [0, 1];
          paintCurve(ctx, v, lo - 0.05 * (hi - lo || 1), hi + 0.05 * (hi - lo || 1), w, h, '#0877bd', 1.5);
        }
      }
    });
    this.#paintLinks();
    if (this.hovered && !this.tip.hidden) this.tip.textContent = this.#neuronText(this.hovered);
  }
}

/** a softmax unit's probability in its class's colour */
function shareColours(v, unit) {
  const hex = PALETTE[unit % PALETTE.length];
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const img = new Uint8ClampedArray(4 * v.length);
  for (let i = 0; i < v.length; i++) {
    const t = Math.max(0, Math.min(1, v[i])) * 0.85;
    for (let k = 0; k < 3; k++) img[4 * i + k] = Math.round(255 + (rgb[k] - 255) * t);
    img[4 * i + 3] = 255;
  }
  return img;
}

function bezier(link, t) {
  const mx = (link.x0 + link.x1) / 2;
  const u = 1 - t;
  const x = u * u * u * link.x0 + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * link.x1;
  const y = u * u * u * link.y0 + 3 * u * u * t * link.y0 + 3 * u * t * t * link.y1 + t * t * t * link.y1;
  return [x, y];
}
