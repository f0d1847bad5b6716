// When the server no longer knows this page's circuit (it restarted), Blazor marks the reconnect modal
// "rejected"; a fresh load is the only way back, so do it for the user, as Blazor's default UI does.
(() => {
    const modal = document.getElementById('components-reconnect-modal');
    if (!modal) {
        return;
    }

    new MutationObserver(() => {
        if (modal.classList.contains('components-reconnect-rejected')) {
            location.reload();
        }
    }).observe(modal, { attributes: true, attributeFilter: ['class'] });
})();

// "Reload" links of the reconnect modal (no inline handlers: the Content Security Policy allows scripts from files only).
document.addEventListener('click', event => {
    const link = event.target instanceof Element ? event.target.closest('a[data-reload]') : null;
    if (link) {
        event.preventDefault();
        location.reload();
    }
});

// The light/dark toggle: the choice is kept for a year in a cookie the server reads while prerendering.
window.sellerDesk = window.sellerDesk || {};
window.sellerDesk.rememberTheme = mode => {
    document.cookie = `sellerdesk_theme=${mode === 'dark' ? 'dark' : 'light'}; path=/; max-age=31536000; samesite=lax`;
};

// Trend charts (.chart-box): the server writes at most a dozen x-axis labels (TrendLabels.Thinned), which a desktop
// fits but a phone does not. Here the written labels are thinned further to what the chart's width holds: every n-th
// label stays, n the smallest that leaves a gap between the widest neighbours; a label that would run past the
// chart's edge is hidden. Runs again when the chart is drawn anew (data, language, resize: MudChart redraws its svg).
(() => {
    const gap = 6;
    const thin = box => {
        const svg = box.querySelector('svg');
        if (!svg) {
            return;
        }

        const labels = [...svg.querySelectorAll('.mud-charts-xaxis text, text.mud-charts-xaxis')]
            .filter(t => t.textContent.trim().length > 0);
        labels.forEach(t => t.style.removeProperty('display'));
        if (labels.length === 0) {
            return;
        }

        const boxes = labels.map(t => t.getBoundingClientRect());
        const widest = Math.max(...boxes.map(b => b.width));
        const centre = b => b.left + b.width / 2;
        const pitch = labels.length > 1 ? (centre(boxes[boxes.length - 1]) - centre(boxes[0])) / (labels.length - 1) : 0;
        const step = pitch > 0 ? Math.max(1, Math.ceil((widest + gap) / pitch)) : 1;
        const frame = svg.getBoundingClientRect();
        labels.forEach((t, i) => {
            const b = boxes[i];
            if (i % step !== 0 || b.left < frame.left - 1 || b.right > frame.right + 1) {
                t.style.display = 'none';
            }
        });
    };

    let pending = false;
    const schedule = () => {
        if (pending) {
            return;
        }

        pending = true;
        requestAnimationFrame(() => {
            pending = false;
            document.querySelectorAll('.chart-box').forEach(thin);
        });
    };

    const start = () => {
        new MutationObserver(schedule).observe(document.body, {
            childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['x', 'y', 'transform', 'viewBox', 'width', 'height'],
        });
        window.addEventListener('resize', schedule);
        schedule();
    };

    if (document.body) {
        start();
    } else {
        document.addEventListener('DOMContentLoaded', start);
    }
})();
