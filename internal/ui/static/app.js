// The page: see internal/ui.
document.querySelector("#app p").textContent = "Ready.";
