"""The page-move hold: a click on another page while something is being typed waits until what was typed is saved."""

# A click on a sidebar link while the clerk types would race the save that leaving the box (or the grid's cell)
# starts: the page, and the widget with it, go away while the words are on their way to the server. This holds such
# a click: at pointerdown `commit()` enters what is being typed (true when there was something), and the move is
# made once the save's run has ended, as Streamlit's `data-test-script-state` tells (or after 0.6 s when no run
# came, 4 s at most). Any later press drops a held move; only a plain left click on that same link is held.
# Returns a function that takes the listeners away. Used by the 表格 grids (from their frame, on the page's document
# and timer) and by the 正文 page's boxes.
HOLD_PAGE_MOVE_JS = """
function holdPageMove(doc, later, commit) {
  let held = null, waiting = 0;
  const down = (ev) => {
    held = null;
    waiting += 1;
    const plain = ev.button === 0 && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey && !ev.altKey;
    const link = plain && ev.target.closest ? ev.target.closest('[data-testid="stSidebarNav"] a[href]') : null;
    held = link && commit() ? link : null;
  };
  const click = (ev) => {
    const link = held;
    held = null;
    if (!link || !link.contains(ev.target)) return;
    ev.preventDefault();
    ev.stopPropagation();
    const app = doc.querySelector('[data-testid="stApp"]');
    const since = Date.now(), mine = waiting;
    let ran = false;
    const go = () => {
      if (mine !== waiting) return;
      const state = app ? app.getAttribute('data-test-script-state') : 'notRunning';
      ran = ran || state !== 'notRunning';
      if ((state === 'notRunning' && (ran || Date.now() - since > 600)) || Date.now() - since > 4000) link.click();
      else later(go, 40);
    };
    later(go, 40);
  };
  doc.addEventListener('pointerdown', down, true);
  doc.addEventListener('click', click, true);
  return () => {
    doc.removeEventListener('pointerdown', down, true);
    doc.removeEventListener('click', click, true);
  };
}
"""
