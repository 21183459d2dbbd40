// Opens the browser's print dialog for a notice shown with ?print=1.
window.addEventListener("load", function () { window.print(); });
