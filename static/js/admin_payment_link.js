// The order admin's payment link: shown as a whole URL, copied with one click.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-absolute-url]")) {
    // The server knows only the path; the address staff use is the one to send.
    input.value = new URL(input.value, window.location.href).href;
  }
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const input = document.getElementById(button.dataset.copy);
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        document.execCommand("copy"); // no Clipboard API outside secure contexts
      }
      button.textContent = button.dataset.copied;
    });
  }
});
