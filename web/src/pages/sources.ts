// Sources: what each agency's extracts brought in, newest first (`svp sources`): rows read,
// accepted (new, updated, unchanged), rejected and values dropped; what the database holds
// per source (`svp stats`); the profiles built into svp. And where a new layout starts: pick
// an extract and svp drafts a profile for it as `svp profile draft` does (docs/profiles.md,
// "Drafting a profile"), from its first 2 MiB read in this browser (an Excel workbook whole,
// up to 11 MiB, through the sheet named or the first). The server reads the
// text in memory and keeps none of it; the report shows codes and counts, never a name, id,
// date of birth, postcode or address. Administrators and analysts only.
import { api } from "../api";
import { agencyBadge, h, mount, table } from "../components/dom";
import { app, errorBox } from "../components/shell";

interface FileJ {
  id: number;
  source: string;
  agency: string;
  file: string;
  imported_at: string;
  rows_read: number;
  rows_accepted: number;
  rows_new: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
  values_dropped: number;
}

interface CountJ {
  source: string;
  records: number;
  events: number;
  places: number;
  relationships: number;
  persons: number;
  links: number;
}

interface SourcesJ {
  files: FileJ[];
  counts: CountJ[];
  total?: CountJ;
  profiles: string[];
}

interface DraftJ {
  report: string;
  profile: string;
  rows: number;
  columns: number;
}

// The part of an extract sent for a draft: its first 2 MiB, cut at the last line end.
export const DRAFT_BYTES = 2 * 1024 * 1024;

const n = (x: number): string => x.toLocaleString("en-GB");

export async function sourcesPage(): Promise<void> {
  mount(app, h("h1", {}, "Sources"), h("p", {}, "Loading…"));
  let res: SourcesJ;
  try {
    res = await api<SourcesJ>("GET", "/sources");
  } catch (e) {
    mount(app, h("h1", {}, "Sources"), errorBox(e));
    return;
  }
  const files = res.files.length
    ? table(
        ["File", "Profile", "Agency", "Imported", "Read", "Accepted", "New", "Updated", "Unchanged", "Rejected", "Values dropped"],
        res.files.map((f) => [
          f.file,
          f.source,
          agencyBadge(f.agency),
          f.imported_at.replace("T", " ").replace("Z", ""),
          n(f.rows_read),
          n(f.rows_accepted),
          n(f.rows_new),
          n(f.rows_updated),
          n(f.rows_unchanged),
          f.rows_rejected ? h("strong", {}, n(f.rows_rejected)) : "0",
          f.values_dropped ? h("strong", {}, n(f.values_dropped)) : "0",
        ]),
      )
    : h("p", {}, "Nothing imported yet (svp import).");
  files.id = "sources-files";
  const counts = table(
    ["Profile", "Records", "Events", "Relationships", "Linked records"],
    res.counts.map((c) => [c.source, n(c.records), n(c.events), n(c.relationships), n(c.links)]),
  );
  counts.id = "sources-counts";
  const total = res.total
    ? h(
        "p",
        { id: "sources-total" },
        `In all: ${n(res.total.records)} records, ${n(res.total.events)} events, ${n(res.total.relationships)} relationships, ` +
          `${n(res.total.places)} places; ${n(res.total.persons)} persons linked from ${n(res.total.links)} records.`,
      )
    : null;
  mount(
    app,
    h("h1", {}, "Sources"),
    h("p", {}, "Every extract imported, newest first. Rejected rows and dropped values are in the rejects file the import wrote (file, line, field, reason)."),
    files,
    h("h2", {}, "What the database holds"),
    counts,
    total,
    h("h2", {}, "Profiles built into svp"),
    h("p", { id: "sources-profiles" }, res.profiles.join(", ")),
    draftSection(),
  );
}

// An Excel workbook goes whole (a zip cannot be cut at a line end), in base64: at most this.
export const WORKBOOK_BYTES = 11 * 1024 * 1024;

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

// An Excel workbook (.xlsx) starts as every zip does: "PK", 3, 4.
async function isWorkbook(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
}

// Reads the extract's first part as text: UTF-16 when it starts with its byte order mark
// (Excel's "Unicode Text"), UTF-8 when it is, else Windows-1252 (said so).
async function readPart(file: File): Promise<{ text: string; encoding: string; part: boolean }> {
  const part = file.size > DRAFT_BYTES;
  let bytes = new Uint8Array(await file.slice(0, DRAFT_BYTES).arrayBuffer());
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : "";
  if (utf16) {
    let text = new TextDecoder(utf16).decode(bytes); // the mark dropped
    if (part) text = text.slice(0, text.lastIndexOf("\n") + 1);
    return { text, encoding: utf16, part };
  }
  if (part) {
    const end = bytes.lastIndexOf(10);
    if (end > 0) bytes = bytes.subarray(0, end + 1);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8", part };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252", part };
  }
}

function draftSection(): HTMLElement {
  const fileInput = h("input", { id: "draft-file", type: "file", accept: ".csv,.tsv,.txt,.xlsx,text/csv" }) as HTMLInputElement;
  const nameInput = h("input", { id: "draft-name", type: "text", placeholder: "e.g. gp-register", pattern: "[a-z0-9_-]{1,63}" }) as HTMLInputElement;
  const asOfInput = h("input", { id: "draft-as-of", type: "date" }) as HTMLInputElement;
  const sheetInput = h("input", { id: "draft-sheet", type: "text", placeholder: "first sheet" }) as HTMLInputElement;
  const out = h("div", { id: "draft-out" });
  const form = h(
    "form",
    {
      class: "search",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void draft(fileInput, nameInput, asOfInput, sheetInput, out);
      },
    },
    h("label", { for: "draft-file" }, "Extract "),
    fileInput,
    h("label", { for: "draft-name" }, " Profile name "),
    nameInput,
    h("label", { for: "draft-as-of" }, " Extract's date "),
    asOfInput,
    h("label", { for: "draft-sheet" }, " Workbook sheet "),
    sheetInput,
    h("button", { id: "draft-go", type: "submit" }, "Draft a profile"),
  );
  return h(
    "section",
    { id: "draft" },
    h("h2", {}, "Draft a profile for a new extract"),
    h(
      "p",
      {},
      "svp reads the extract's first 2 MiB in this browser (an Excel workbook whole, up to 11 MiB: its first sheet unless you name one) and drafts a source profile: the file's encoding, separator, columns, date formats, " +
        "name orders, keys and codes. Check each line (those marked 'check' first), save it, then try it with svp profile check PROFILE --data EXTRACT.",
    ),
    form,
    out,
  );
}

async function draft(
  fileInput: HTMLInputElement,
  nameInput: HTMLInputElement,
  asOfInput: HTMLInputElement,
  sheetInput: HTMLInputElement,
  out: HTMLElement,
): Promise<void> {
  const file = fileInput.files?.[0];
  if (!file) {
    mount(out, h("p", { class: "error", role: "alert" }, "Choose an extract first."));
    return;
  }
  mount(out, h("p", {}, "Reading the extract…"));
  try {
    const body: Record<string, unknown> = { file: file.name };
    let part = false;
    if (await isWorkbook(file)) {
      if (file.size > WORKBOOK_BYTES) {
        mount(out, h("p", { class: "error", role: "alert" }, "This workbook is over 11 MiB: save its sheet as CSV and draft from that."));
        return;
      }
      body.workbook = base64(new Uint8Array(await file.arrayBuffer()));
      if (sheetInput.value.trim()) body.sheet = sheetInput.value.trim();
    } else {
      const read = await readPart(file);
      body.text = read.text;
      body.encoding = read.encoding;
      part = read.part;
      if (part) body.part = true;
    }
    if (nameInput.value.trim()) body.name = nameInput.value.trim();
    if (asOfInput.value) body.as_of = asOfInput.value;
    const res = await api<DraftJ>("POST", "/profile/draft", body);
    const profile = h("textarea", { id: "draft-profile", rows: "24", cols: "100", spellcheck: "false" }, res.profile) as HTMLTextAreaElement;
    const save = h("button", { id: "draft-save", type: "button" }, "Save the profile") as HTMLButtonElement;
    save.addEventListener("click", () => {
      const url = URL.createObjectURL(new Blob([profile.value], { type: "text/plain" }));
      const a = h("a", { href: url, download: `${nameInput.value.trim() || file.name.replace(/\.[^.]*$/, "")}.profile` });
      a.click();
      URL.revokeObjectURL(url);
    });
    mount(
      out,
      h("p", { id: "draft-summary" }, `${n(res.rows)} rows and ${res.columns} columns read${part ? " (the file's first 2 MiB)" : ""}.`),
      h("h3", {}, "What the scan found"),
      h("pre", { id: "draft-report" }, res.report),
      h("h3", {}, "The draft profile"),
      profile,
      h("p", {}, save),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
