// Keyboard flow of the workbench. Event page: j or n next, k previous, c confirm (once a
// detected platform is confirmed), r reject (with the reason chosen; else it puts the cursor on
// the reason), p takes the detected platform, space replays the clip, Esc leaves a form field.
// Queue page: j or n opens the first event. The fine amount shows only with the fine chosen.
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
    if (button && !button.disabled) {
      button.click();
    }
  }

  function takeSuggestion() {
    const suggestion = document.getElementById("take-suggestion");
    const platform = document.getElementById("courier-platform");
    if (suggestion && platform) {
      platform.value = suggestion.dataset.platform;
    }
  }

  function confirm() {
    const platform = document.getElementById("courier-platform");
    if (platform && platform.value === "") {
      platform.focus();  // a detected platform is confirmed explicitly, never unseen
      return;
    }
    click("confirm-button");
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

  function showFine() {
    const fine = document.getElementById("fine-label");
    const chosen = document.querySelector("input[name=disposition]:checked");
    if (fine) {
      fine.hidden = !chosen || chosen.value !== "fine";
    }
  }

  const eventKeys = {
    j: () => go(eventPage.dataset.next),
    n: () => go(eventPage.dataset.next),
    k: () => go(eventPage.dataset.previous),
    c: confirm,
    r: reject,
    p: takeSuggestion,
    " ": replay,
  };
  const queueKeys = {
    j: () => go(queuePage.dataset.first),
    n: () => go(queuePage.dataset.first),
  };

  if (eventPage) {
    const suggestion = document.getElementById("take-suggestion");
    if (suggestion) {
      suggestion.addEventListener("click", takeSuggestion);
    }
    document.querySelectorAll("input[name=disposition]").forEach(function (input) {
      input.addEventListener("change", showFine);
    });
    showFine();
  }

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
