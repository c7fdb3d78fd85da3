//! The `guichet` binary: everything is in the library; see `guichet --help`.

fn main() -> std::process::ExitCode {
    guichet::cli::run()
}
