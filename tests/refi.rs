//! `qualkit export qdpx` and `qualkit import qdpx`: REFI-QDA projects out and back, and
//! projects written by other tools.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{arg, qualkit, read, repo, shared, stderr, stdout};

/// Whether `xmllint` can be run (CI installs it; see `.ci/run`).
fn have_xmllint() -> bool {
    std::process::Command::new("xmllint").arg("--version").output().is_ok()
}

/// The rows of a mentions table, keeping `columns`.
fn rows(csv: &Path, columns: &[&str]) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(csv).unwrap();
    let header = reader.headers().unwrap().clone();
    let index: Vec<usize> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == *c).unwrap_or_else(|| panic!("no column {c}")))
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            index.iter().map(|&i| r[i].to_string()).collect()
        })
        .collect()
}

/// Reads a zip archive's entries.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut content).unwrap();
            (f.name().unwrap().into_owned(), content)
        })
        .collect()
}

#[test]
fn the_bundled_example_exports_validates_and_comes_back_with_the_same_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("study.qdpx");
    let out = qualkit(&["export", "qdpx", "--out", arg(&qdpx)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("{}: 25 codes, 4 sources, 28 cases, 260 selections, 566 codings\n", qdpx.display())
    );

    // project.qde first, then the four sources; timestamps fixed.
    let bytes = std::fs::read(&qdpx).unwrap();
    let files = entries(&bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 5);
    assert_eq!(names[0], "project.qde");
    assert!(names[1..].iter().all(|n| n.starts_with("sources/") && n.ends_with(".txt")));
    let qde = String::from_utf8(files[0].1.clone()).unwrap();
    for n in &names[1..] {
        let file = n.trim_start_matches("sources/");
        assert!(qde.contains(&format!("plainTextPath=\"internal://{file}\"")), "{file}");
    }
    // The first session's source: one turn per paragraph, with its label.
    let source = files
        .iter()
        .map(|(_, c)| String::from_utf8(c.clone()).unwrap())
        .find(|t| t.starts_with("[00:02:10] Moderator: Okay, I think we're recording."))
        .expect("the source of mc-01");
    assert!(source.contains(
        "\n\n[00:02:44] Marcus: Marcus. I do policy advocacy, mostly housing and land use"
    ));
    assert!(!source.contains('\r'));
    // "housing" in Marcus's turn: the selection counts code points of that text.
    let at = source.find("housing and land use").unwrap();
    let start = source[..at].chars().count();
    assert!(
        qde.contains(&format!(
            "name=\"housing\" startPosition=\"{start}\" endPosition=\"{}\"",
            start + 7
        )),
        "housing at {start}"
    );

    if have_xmllint() {
        let unpacked = dir.path().join("project.qde");
        std::fs::write(&unpacked, &files[0].1).unwrap();
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--schema", "schemas/refi-qda/Project-mrt2019.xsd", arg(&unpacked)])
            .current_dir(repo())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), format!("{} validates\n", unpacked.display()));
    } else {
        eprintln!("skipped the schema check: xmllint is not installed (.ci/run installs it)");
    }

    // Exporting again, with another thread count, gives the same bytes.
    let again = dir.path().join("again.qdpx");
    let out = qualkit(&["export", "qdpx", "--out", arg(&again), "--threads", "1", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(std::fs::read(&again).unwrap(), bytes);

    // Back in: exactly the mentions `analyze` finds.
    let imported = dir.path().join("imported");
    let out = qualkit(&["import", "qdpx", arg(&qdpx), "--out", arg(&imported)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        format!(
            "{}: 566 codings by qualkit -> 566 mentions in 4 sessions (25 codes)\nwritten: {}, {}\n",
            qdpx.display(),
            imported.join("mentions.csv").display(),
            imported.join("codebook.toml").display()
        )
    );
    let report = dir.path().join("report");
    let out = qualkit(&["analyze", "--out", arg(&report), "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let columns = [
        "session",
        "turn",
        "timestamp",
        "speaker",
        "role",
        "site",
        "group",
        "theme",
        "start",
        "end",
        "text",
    ];
    let expected = rows(&report.join("mentions.csv"), &columns);
    assert_eq!(expected.len(), 566);
    assert_eq!(rows(&imported.join("mentions.csv"), &columns), expected);
    // The columns `analyze` writes, then the coding's id in the project.
    let header = read(&imported.join("mentions.csv")).lines().next().unwrap().to_string();
    let analyzed = read(&report.join("mentions.csv")).lines().next().unwrap().to_string();
    assert_eq!(header, format!("{analyzed},coding_id"));
    let first = rows(&imported.join("mentions.csv"), &["file", "line", "rule_kind", "rule"]);
    assert!(first[0][0].starts_with(&format!("{}/sources/", qdpx.display())), "{:?}", first[0]);
    assert_eq!(first[0][2..], ["manual", "qualkit"]);

    // The codebook comes back as it went.
    let converted = dir.path().join("metaconnects.toml");
    let out = qualkit(&["codebook", "convert", "codebooks/metaconnects.toml", arg(&converted)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&imported.join("codebook.toml")), read(&converted));
}

/// The hand-written project of another tool, read from its folder.
const OTHER_TOOL: &str = "tests/fixtures/refi/other-tool/project.qde";

/// What `import` says about the other tool's project, for Ana's codings, after `file: `.
const OTHER_TOOL_NOTES: &[&str] = &[
    "note: {file}: left out 1 <PictureSelection>: qualkit reads coded text only",
    "note: {file}: codebook: 2 codes from other tools carry no rules; each was given its name \
     as a term — edit the codebook to add real rules",
    "note: {file}: source `Interview 1` has Windows line ends (\\r\\n); its positions were read \
     counting each as two characters, as the selection names show",
    "note: {file}: left out 1 selection without codings (memos and annotations)",
    "note: {file}: left out selection 00000000-0000-4000-8000-0000000000a3 (line 54): it covers \
     no turn text (only speaker labels or blank lines)",
    "note: {file}: left out selection 00000000-0000-4000-8000-0000000000a6 (line 63): its \
     startPosition `abc` is not a whole number",
    "note: {file}: left out the coding of selection 00000000-0000-4000-8000-0000000000a5 (line \
     61): it refers to code 99999999-9999-4999-8999-999999999999, which is not in the codebook",
    "note: {file}: 1 coding over several turns became one mention per turn",
    "warning: {file}: left out source `Elsewhere` (line 79): its text is stored outside the \
     project (`relative:///elsewhere.txt`); export the project with its sources inside",
];

#[test]
fn another_tools_project_is_read_one_coder_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("ana");

    let out = qualkit(&["import", "qdpx", OTHER_TOOL, "--out", arg(&out_dir)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {OTHER_TOOL} holds codings by 2 coders; choose one with --coder NAME: Ana (7 \
             codings), Ben (1 coding)\n"
        )
    );
    assert!(!out_dir.exists(), "nothing is written");

    let out = qualkit(&["import", "qdpx", OTHER_TOOL, "--coder", "ana", "--out", arg(&out_dir)]);
    // A coded source's text is missing: the import is incomplete.
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let expected: Vec<String> =
        OTHER_TOOL_NOTES.iter().map(|n| n.replace("{file}", OTHER_TOOL)).collect();
    assert_eq!(stderr(&out), expected.join("\n") + "\n");
    let source = "tests/fixtures/refi/other-tool/Sources/5A5A5A5A-0000-4000-8000-000000000001.txt";
    assert_eq!(
        read(&out_dir.join("mentions.csv")),
        format!(
            "session,file,line,turn,timestamp,speaker,role,question,question_text,Site,Age group,\
             theme,start,end,text,rule_kind,rule,rule_theme,coding_id\n\
             Interview 1,{source},3,2,,Zoë,participant,,,North,30-39,trust,2,19,\
             trust the council,manual,Ana,trust,{sel}a1\n\
             Interview 1,{source},4,2,,Zoë,participant,,,North,30-39,money,21,35,Not the money.,\
             manual,Ana,money,{sel}a2\n\
             Interview 1,{source},6,3,,Bo,participant,,,North,,money,0,5,Money,manual,Ana,money,\
             {sel}a2\n\
             Notes,{OTHER_TOOL},3,2,,Notes,participant,,,South,,trust,15,32,trust the process,\
             manual,Ana,trust,{sel}a7\n",
            // One selection over two turns (a2): a mention in each, with the same id.
            sel = "00000000-0000-4000-8000-0000000000"
        )
    );
    assert_eq!(
        read(&out_dir.join("codebook.toml")),
        "[codebook]\nname = \"Other tool\"\n\n[[theme]]\nid = \"trust\"\nlabel = \"Trust\"\n\
         color = \"#FF0000\"\ndefinition = \"Trust in people and institutions.\"\n\n[[theme]]\n\
         id = \"honesty\"\nlabel = \"Honesty\"\nparent = \"trust\"\nterms = [\"Honesty\"]\n\n\
         [[theme]]\nid = \"money\"\nlabel = \"Money\"\nterms = [\"Money\"]\n"
    );
}

/// Zips the other tool's project as a `.qdpx` at `to`.
fn zip_other_tool(to: &Path) {
    let folder = repo().join("tests/fixtures/refi/other-tool");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let mut files: Vec<PathBuf> = vec![folder.join("project.qde")];
    for e in std::fs::read_dir(folder.join("Sources")).unwrap() {
        files.push(e.unwrap().path());
    }
    for f in files {
        let name = f.strip_prefix(&folder).unwrap().to_string_lossy().replace('\\', "/");
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(&f).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn another_tools_qdpx_archive_gives_the_same_codings() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("other.qdpx");
    zip_other_tool(&qdpx);
    let out_dir = dir.path().join("ben");
    let out = qualkit(&[
        "import",
        "qdpx",
        arg(&qdpx),
        "--coder",
        "9C8D7E6F-5A4B-4C3D-8E2F-1A0B9C8D7E6F",
        "--out",
        arg(&out_dir),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "{}: 1 coding by Ben -> 1 mention in 2 sessions (3 codes)\nwritten: {}, {}\n",
            qdpx.display(),
            out_dir.join("mentions.csv").display(),
            out_dir.join("codebook.toml").display()
        )
    );
    assert_eq!(
        rows(
            &out_dir.join("mentions.csv"),
            &["file", "speaker", "theme", "start", "end", "text", "rule"]
        ),
        [[
            format!("{}/Sources/5A5A5A5A-0000-4000-8000-000000000001.txt", qdpx.display()),
            "Zoë".into(),
            "honesty".into(),
            "2".into(),
            "19".into(),
            "trust the council".into(),
            "Ben".into()
        ]]
    );

    // Ana's codings are the same as from the folder.
    let ana = dir.path().join("ana");
    let out = qualkit(&["import", "qdpx", arg(&qdpx), "--coder", "Ana", "--out", arg(&ana)]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let from_folder = dir.path().join("ana-folder");
    qualkit(&["import", "qdpx", OTHER_TOOL, "--coder", "Ana", "--out", arg(&from_folder)]);
    let columns =
        ["session", "turn", "speaker", "Site", "Age group", "theme", "start", "end", "text"];
    assert_eq!(
        rows(&ana.join("mentions.csv"), &columns),
        rows(&from_folder.join("mentions.csv"), &columns)
    );
    assert_eq!(rows(&ana.join("mentions.csv"), &columns).len(), 4);
}

#[test]
fn projects_without_their_sources_say_which_texts_are_missing() {
    let Some(folder) = shared("refi-qda") else { return };
    let dir = tempfile::tempdir().unwrap();
    let missing = [
        ("1994 Diet Coke-Diet Coke Break.docx", 44, "230B768E-5A3D-42B7-BE92-2A3721177944"),
        ("Mabel.txt", 56, "B2F54555-0D2D-43B2-B40C-2A1C048F5F1C"),
        ("Simon.docx", 69, "C1C745F7-8E4D-48B2-9710-655AFE7E54FA"),
        (
            "Pay de Limo\u{301}n con Base de Granola | Kellogg's ®.pdf",
            130,
            "142EB46D-612E-4593-A385-D0E5D04D1288",
        ),
    ];

    // ATLAS.ti's project.qde alone.
    let qde = folder.join("Project.qde");
    let out = qualkit(&["import", "qdpx", arg(&qde), "--out", arg(&dir.path().join("a"))]);
    assert_eq!(out.status.code(), Some(2));
    let sources: Vec<String> = missing
        .iter()
        .map(|(name, line, guid)| {
            format!(
                "source `{name}` (line {line}): {} is not there (`internal://{guid}.txt`)",
                folder.join("sources").join(format!("{guid}.txt")).display()
            )
        })
        .collect();
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: the text of 4 coded text sources is not in the project, so no selection \
             can be placed: {}. A .qde file alone holds no text: import the .qdpx archive it \
             came from, or put the source files in a `sources` folder beside it\n",
            qde.display(),
            sources.join("; ")
        )
    );

    // The same project as a .qdpx whose Sources/ folder is empty.
    let qdpx = folder.join("TestProject.qdpx");
    let out = qualkit(&["import", "qdpx", arg(&qdpx), "--out", arg(&dir.path().join("b"))]);
    assert_eq!(out.status.code(), Some(2));
    let sources: Vec<String> = missing
        .iter()
        .map(|(name, line, guid)| {
            format!(
                "source `{name}` (line {line}): the archive has no file {guid}.txt \
                 (`internal://{guid}.txt`)"
            )
        })
        .collect();
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}/Project.qde: the text of 4 coded text sources is not in the project, so \
             no selection can be placed: {}. The archive holds no source files; export the \
             project again with its sources (in NVivo, ATLAS.ti, MAXQDA or QualCoder: export \
             as REFI-QDA project, .qdpx)\n",
            qdpx.display(),
            sources.join("; ")
        )
    );
    assert!(!dir.path().join("a").exists() && !dir.path().join("b").exists());
}

#[test]
fn bad_input_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = qualkit(&[
        "export",
        "qdpx",
        "transcripts/metaconnects",
        "--out",
        arg(&dir.path().join("x.qdpx")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --codebook FILE is required when transcripts are given (for example --codebook \
         codebooks/metaconnects.toml)\n"
    );

    let qdc = dir.path().join("cb.qdc");
    let out = qualkit(&["codebook", "convert", "codebooks/metaconnects.toml", arg(&qdc)]);
    assert_eq!(out.status.code(), Some(0));
    let out = qualkit(&["import", "qdpx", arg(&qdc), "--out", arg(&dir.path().join("o"))]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:2: the root element is <CodeBook>, expected <Project> (a REFI-QDA \
             project, QDA-XML Project 1.0). This is a REFI-QDA codebook (.qdc): read it with \
             `qualkit codebook convert`.\n",
            qdc.display()
        )
    );

    let zip = dir.path().join("empty.qdpx");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    w.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(b"hello").unwrap();
    w.finish().unwrap();
    let out = qualkit(&["import", "qdpx", arg(&zip), "--out", arg(&dir.path().join("o"))]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: the archive holds no .qde file (it has readme.txt); a REFI-QDA project \
             (.qdpx) holds project.qde and its sources\n",
            zip.display()
        )
    );
}

#[test]
fn windows_line_ends_and_non_ascii_text_keep_every_selection_on_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("a.txt");
    let text = read(&repo().join("tests/fixtures/mini/transcripts/a.txt"));
    std::fs::write(&transcript, text.replace('\n', "\r\n")).unwrap();
    let qdpx = dir.path().join("mini.qdpx");
    let out = qualkit(&[
        "export",
        "qdpx",
        "--codebook",
        "tests/fixtures/mini/codebook.toml",
        arg(&transcript),
        "--out",
        arg(&qdpx),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("{}: 4 codes, 1 source, 3 cases, 9 selections, 15 codings\n", qdpx.display())
    );
    let files = entries(&std::fs::read(&qdpx).unwrap());
    let qde = String::from_utf8(files[0].1.clone()).unwrap();
    let source = String::from_utf8(files[1].1.clone()).unwrap();
    assert_eq!(
        source,
        "[00:00:05] Moderator: Do you trust the process? Is patience needed?\n\n\
         [00:00:10] Ana: I trust people who keep their\nword. Trust takes patience.\n\n\
         [00:00:30] Ben: The trust fund pays for grants, and funding is tight.\n\n\
         Ana: It’s the long haul. We don’t trust fast.\n"
    );
    // Each selection's name is the text at its positions, counted in code points.
    let chars: Vec<char> = source.chars().collect();
    let selection =
        regex::Regex::new(r#"name="([^"]*)" startPosition="(\d+)" endPosition="(\d+)""#).unwrap();
    let mut seen = Vec::new();
    for c in selection.captures_iter(&qde) {
        let name = quick_xml::escape::unescape(&c[1]).unwrap().into_owned();
        let (s, e): (usize, usize) = (c[2].parse().unwrap(), c[3].parse().unwrap());
        assert_eq!(chars[s..e].iter().collect::<String>(), name);
        seen.push(name);
    }
    assert_eq!(
        seen,
        [
            "trust",
            "keep their\nword",
            "Trust",
            "patience",
            "fund",
            "grants",
            "funding",
            "long haul",
            "trust"
        ]
    );

    let imported = dir.path().join("imported");
    let out = qualkit(&["import", "qdpx", arg(&qdpx), "--out", arg(&imported), "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = dir.path().join("report");
    let out = qualkit(&[
        "analyze",
        "--codebook",
        "tests/fixtures/mini/codebook.toml",
        arg(&transcript),
        "--out",
        arg(&report),
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let columns = [
        "session",
        "turn",
        "timestamp",
        "speaker",
        "role",
        "site",
        "theme",
        "start",
        "end",
        "text",
    ];
    let expected = rows(&report.join("mentions.csv"), &columns);
    assert_eq!(expected.len(), 15);
    assert_eq!(rows(&imported.join("mentions.csv"), &columns), expected);
}
