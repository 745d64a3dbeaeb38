// A short name proposed from a title while it is typed: <input data-slug-from="title_de"> follows
// the field of that name in the same form until the person types a short name of their own.
// Without this script the server proposes the same short name when the field is left empty
// (evaluations.forms_builder.propose_slug); the server also makes it unique.
const UMLAUTS = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", Ä: "Ae", Ö: "Oe", Ü: "Ue" };

function proposeSlug(title) {
  return title
    .replace(/[äöüßÄÖÜ]/g, (letter) => UMLAUTS[letter])
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[-\s]+/g, "-")
    .slice(0, 50)
    .replace(/^-+|-+$/g, "");
}

document.addEventListener("DOMContentLoaded", () => {
  for (const slug of document.querySelectorAll("input[data-slug-from]")) {
    const title = slug.form && slug.form.elements.namedItem(slug.dataset.slugFrom);
    if (!title) continue;
    let own = slug.value !== "" && slug.value !== proposeSlug(title.value);
    slug.addEventListener("input", () => {
      own = slug.value !== "";
    });
    title.addEventListener("input", () => {
      if (!own) slug.value = proposeSlug(title.value);
    });
  }
});
