import { BASE } from './config.js';

// ---------------------------------------------------------------------------------------
// Styles for elements and the 3DS dialog: a stylesheet from the emulator's own origin (the
// shop's Content-Security-Policy allows styles from the Stripe.js origin, no inline style).
// ---------------------------------------------------------------------------------------
export function injectStyles() {
  if (document.getElementById('__emu-style')) return;
  var link = document.createElement('link');
  link.id = '__emu-style';
  link.rel = 'stylesheet';
  link.href = BASE + '/_emulator/assets/stripe-elements.css';
  (document.head || document.documentElement).appendChild(link);
}

export function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (attrs[k] === undefined || attrs[k] === null || attrs[k] === false) return;
    if (k === 'text') node.textContent = attrs[k];
    else if (k === 'className') node.className = attrs[k];
    else node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
  });
  (children || []).forEach(function (c) {
    if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  });
  return node;
}

export function applyAppearance(root, appearance) {
  var vars = (appearance && appearance.variables) || {};
  var map = {
    colorPrimary: '--emu-primary',
    colorText: '--emu-text',
    colorDanger: '--emu-danger',
    colorBackground: '--emu-bg',
    borderRadius: '--emu-radius',
    fontFamily: '--emu-font',
  };
  Object.keys(map).forEach(function (k) {
    if (vars[k]) root.style.setProperty(map[k], vars[k]);
  });
}
