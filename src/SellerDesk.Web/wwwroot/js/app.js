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
