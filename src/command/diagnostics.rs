//! Problems as people at a terminal like to read them: `error:` or
//! `warning:` in color, the offending line quoted under its `path:line`
//! with a caret. Piped output (cron mail, a log) and `NO_COLOR` get the
//! plain one-line form, which scripts and editors parse.

use crate::problem::{Problem, Severity};
use std::io::IsTerminal;

/// Prints each problem to standard error, fancy on a terminal.
pub fn report(problems: &[Problem]) {
    let fancy = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for problem in problems {
        if fancy {
            eprint!("{}", fancy_form(problem, quoted_line(problem).as_deref()));
        } else {
            eprintln!("{problem}");
        }
    }
}

/// The text of the problem's line in its file, if it can be read.
fn quoted_line(problem: &Problem) -> Option<String> {
    let text = std::fs::read_to_string(&problem.path).ok()?;
    text.lines()
        .nth(problem.line.checked_sub(1)?)
        .map(|line| line.trim_end().to_string())
}

/// A problem in color, its line quoted with a caret under its first
/// non-blank character.
fn fancy_form(problem: &Problem, line: Option<&str>) -> String {
    const BOLD: &str = "\x1b[1m";
    const RESET: &str = "\x1b[0m";
    let (color, label) = match problem.severity {
        Severity::Error => ("\x1b[1;31m", "error"),
        Severity::Warning => ("\x1b[1;33m", "warning"),
    };
    let mut out = format!("{color}{label}{RESET}{BOLD}: {}{RESET}\n", problem.message);
    let gutter = problem.line.to_string().len();
    out.push_str(&format!(
        "{:gutter$}\x1b[34m-->{RESET} {}:{}\n",
        "",
        problem.path.display(),
        problem.line
    ));
    if let Some(line) = line.filter(|line| !line.trim().is_empty()) {
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        let width = line.trim().chars().count().clamp(1, 60);
        out.push_str(&format!("{:gutter$} \x1b[34m|{RESET}\n", ""));
        out.push_str(&format!(
            "\x1b[34m{}{RESET} \x1b[34m|{RESET} {line}\n",
            problem.line
        ));
        out.push_str(&format!(
            "{:gutter$} \x1b[34m|{RESET} {indent}{color}{}{RESET}\n",
            "",
            "^".repeat(width)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_quotes_its_line_with_a_caret() {
        let problem = Problem::error("content/a.md", 12, "unknown time zone `Mars/Olympus`");
        let text = fancy_form(&problem, Some("  timezone: Mars/Olympus"));
        let plain: String = text
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or("", |(_, rest)| rest)
                }
            })
            .collect();
        assert_eq!(
            plain,
            "error: unknown time zone `Mars/Olympus`\n  --> content/a.md:12\n   |\n12 |   timezone: Mars/Olympus\n   |   ^^^^^^^^^^^^^^^^^^^^^^\n"
        );
    }
}
