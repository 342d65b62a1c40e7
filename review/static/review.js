// Keyboard flow of the workbench. Event page: j or n next, k previous, c confirm,
// r reject (with the reason chosen; else it puts the cursor on the reason), space replays the
// clip, Esc leaves a form field. Queue page: j or n opens the first event.
"use strict";

(function () {
  const eventPage = document.getElementById("event");
  const queuePage = document.getElementById("queue");
  if (!eventPage && !queuePage) {
    return;
  }

  function go(url) {
    if (url) {
      window.location.assign(url);
    }
  }

  function replay() {
    const video = document.getElementById("evidence-video");
    if (video) {
      video.currentTime = 0;
      video.play();
    }
  }

  function click(id) {
    const button = document.getElementById(id);
    if (button) {
      button.click();
    }
  }

  function reject() {
    const reason = document.getElementById("reason-code");
    if (!reason) {
      return;
    }
    if (reason.value) {
      click("reject-button");
    } else {
      reason.focus();
    }
  }

  const eventKeys = {
    j: () => go(eventPage.dataset.next),
    n: () => go(eventPage.dataset.next),
    k: () => go(eventPage.dataset.previous),
    c: () => click("confirm-button"),
    r: reject,
    " ": replay,
  };
  const queueKeys = {
    j: () => go(queuePage.dataset.first),
    n: () => go(queuePage.dataset.first),
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const field = event.target.closest("input, textarea, select");
    if (field) {
      if (event.key === "Escape") {
        field.blur();
      } else if (event.key === "Enter" && field.id === "reason-code" && field.value) {
        event.preventDefault();
        click("reject-button");
      }
      return;
    }
    const action = (eventPage ? eventKeys : queueKeys)[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
