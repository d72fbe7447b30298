//! The `lifebuoy-server` command line. Every flag can also come from the environment.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use lifebuoy_domain::{validation, Role};

use crate::blobs::BlobConfig;
use crate::error::{Error, Result};
use crate::server::{self, ServerConfig};
use crate::store::sqlite::{Durability, SqliteStore};
use crate::store::{NewUser, Store};
use crate::uploads::{UploadLimits, MIB};

#[derive(Parser)]
#[command(
    name = "lifebuoy-server",
    version,
    about = "The Lifebuoy support-ticket server"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log lines as human text or as JSON objects.
    #[arg(
        long,
        global = true,
        env = "LIFEBUOY_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve(ServeArgs),
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Bring the database schema up to date, then exit.
    Migrate(StorageArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from standard input.
    Add(UserAddArgs),
}

#[derive(Args, Clone)]
pub struct StorageArgs {
    /// Where the database and attachments live.
    #[arg(long, env = "LIFEBUOY_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// A sqlite:PATH URL for the database file; default DATA_DIR/lifebuoy.db.
    #[arg(long, env = "LIFEBUOY_DATABASE_URL")]
    pub database_url: Option<String>,
    /// `full` never loses an acknowledged write, even on power loss; `normal` is faster.
    #[arg(long, env = "LIFEBUOY_DURABILITY", value_enum, default_value = "full")]
    pub durability: Durability,
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    storage: StorageArgs,
    /// Address and port to listen on.
    #[arg(long, env = "LIFEBUOY_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Create the demo accounts (password `lifebuoy-demo`). Never on a real server.
    #[arg(long, env = "LIFEBUOY_DEMO")]
    demo: bool,
    /// How long a sign-in lasts.
    #[arg(long, env = "LIFEBUOY_SESSION_TTL_HOURS", default_value_t = 720)]
    session_ttl_hours: u64,
    #[command(flatten)]
    files: FileArgs,
}

/// Where attachments are kept and how much may be uploaded.
#[derive(Args)]
pub struct FileArgs {
    /// Keep attachments in an S3-compatible service at this URL instead of DATA_DIR/files.
    /// Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    #[arg(long, env = "LIFEBUOY_S3_ENDPOINT", requires = "s3_bucket")]
    s3_endpoint: Option<String>,
    #[arg(long, env = "LIFEBUOY_S3_BUCKET")]
    s3_bucket: Option<String>,
    #[arg(long, env = "LIFEBUOY_S3_REGION", default_value = "us-east-1")]
    s3_region: String,
    /// The largest file one upload may be.
    #[arg(long, env = "LIFEBUOY_MAX_UPLOAD_MIB", default_value_t = 10)]
    max_upload_mib: u64,
    /// How long an upload waits to be attached to a ticket before it is deleted.
    #[arg(long, env = "LIFEBUOY_STAGED_UPLOAD_TTL_HOURS", default_value_t = 24)]
    staged_upload_ttl_hours: u64,
    /// The most one user may have uploaded but not attached yet.
    #[arg(long, env = "LIFEBUOY_USER_STAGED_QUOTA_MIB", default_value_t = 200)]
    user_staged_quota_mib: u64,
    /// The most files one ticket may hold in all.
    #[arg(long, env = "LIFEBUOY_TICKET_FILES_QUOTA_MIB", default_value_t = 100)]
    ticket_files_quota_mib: u64,
    /// How often expired uploads, sessions and keys are swept.
    #[arg(long, env = "LIFEBUOY_SWEEP_INTERVAL_SECS", default_value_t = 600)]
    sweep_interval_secs: u64,
}

impl FileArgs {
    fn blobs(&self, data_dir: &std::path::Path) -> BlobConfig {
        match (&self.s3_endpoint, &self.s3_bucket) {
            (Some(endpoint), Some(bucket)) => BlobConfig::S3 {
                endpoint: endpoint.clone(),
                bucket: bucket.clone(),
                region: self.s3_region.clone(),
            },
            _ => BlobConfig::Local {
                root: data_dir.join("files"),
            },
        }
    }

    fn limits(&self) -> UploadLimits {
        UploadLimits {
            max_file_bytes: self.max_upload_mib.max(1) * MIB,
            staged_ttl: Duration::from_secs(self.staged_upload_ttl_hours.max(1) * 3600),
            user_staged_quota: self.user_staged_quota_mib.max(1) * MIB,
            ticket_quota: self.ticket_files_quota_mib.max(1) * MIB,
        }
    }
}

#[derive(Args)]
struct UserAddArgs {
    #[command(flatten)]
    storage: StorageArgs,
    #[arg(long, env = "LIFEBUOY_USER_EMAIL")]
    email: String,
    #[arg(long, env = "LIFEBUOY_USER_NAME")]
    name: String,
    /// requester, agent or admin.
    #[arg(long, env = "LIFEBUOY_USER_ROLE", value_parser = parse_role)]
    role: Role,
    /// Read the password from the first line of standard input (required: passwords never go on the command line).
    #[arg(long, required = true)]
    password_stdin: bool,
}

fn parse_role(s: &str) -> std::result::Result<Role, String> {
    s.parse()
}

impl StorageArgs {
    fn database(&self) -> Result<PathBuf> {
        server::prepare_data_dir(&self.data_dir)?;
        server::database_path(&self.data_dir, self.database_url.as_deref())
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LIFEBUOY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

/// Parses the command line and runs it; the error is for the user to read.
pub async fn run() -> Result<()> {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(storage) => {
            let db = storage.database()?;
            SqliteStore::migrate_only(&db).await?;
            println!("The database {} is up to date.", db.display());
            Ok(())
        }
        Command::User {
            command: UserCommand::Add(args),
        } => add_user(args).await,
    }
}

async fn serve(args: ServeArgs) -> Result<()> {
    let config = ServerConfig {
        database: args.storage.database()?,
        durability: args.storage.durability,
        demo: args.demo,
        session_ttl: Duration::from_secs(args.session_ttl_hours.max(1) * 3600),
        blobs: args.files.blobs(&args.storage.data_dir),
        uploads: args.files.limits(),
        sweep_every: Duration::from_secs(args.files.sweep_interval_secs.max(1)),
    };
    let state = server::open_state(&config).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| Error::Internal(format!("cannot listen on {}: {e}", args.listen)))?;
    let addr = listener.local_addr().map_err(Error::internal)?;
    tracing::info!(%addr, database = %config.database.display(), "Lifebuoy is listening");
    if args.demo {
        print_demo_help(addr);
    }
    server::serve(
        listener,
        state,
        config.sweep_every,
        server::shutdown_signal(),
    )
    .await
}

fn print_demo_help(addr: SocketAddr) {
    let base = format!("http://{addr}");
    println!(
        "\nLifebuoy is running at {base} with the DEMO accounts (password `{}`):",
        crate::demo::DEMO_PASSWORD
    );
    for (email, name, role) in crate::demo::DEMO_ACCOUNTS {
        println!("  {email:<18} {name:<12} {role}");
    }
    println!(
        "\nTry it:\n  TOKEN=$(curl -s {base}/api/v1/auth/login -H 'Content-Type: application/json' \\\n    \
         -d '{{\"email\":\"field@demo.test\",\"password\":\"{}\"}}' | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')\n  \
         curl -s {base}/api/v1/tickets -H \"Authorization: Bearer $TOKEN\"\n\
         API reference: {base}/api/v1/openapi.json    Stop with Ctrl-C.\n",
        crate::demo::DEMO_PASSWORD
    );
}

async fn add_user(args: UserAddArgs) -> Result<()> {
    let email = validation::email(&args.email)?;
    let name = validation::name(&args.name)?;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| Error::BadRequest(format!("could not read the password from stdin: {e}")))?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    validation::password(&password)?;
    let store = SqliteStore::open(&args.storage.database()?, args.storage.durability).await?;
    let user = store
        .create_user(NewUser {
            email,
            name,
            role: args.role,
            password_hash: crate::auth::hash_password(password).await?,
        })
        .await?;
    store.close().await;
    println!(
        "Created {} <{}> as {} (id {}).",
        user.name, user.email, user.role, user.id
    );
    Ok(())
}
