// A button with data-confirm asks before it submits its form: for what is hard to undo (removing a table).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
