//! What the services of every capability work with: the database, the clock, the deadline
//! policy, the settings and the register's search index. The HTTP handlers, the command line and
//! the background jobs all hold one `Services` and call the same service functions with it.
//! Intake's registrar is apart (`cases::registrar`): only the server starts it.

use std::sync::Arc;

use crate::cases::view::ViewContext;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Db;
use crate::deadlines::DeadlinePolicy;
use crate::domain::calendar::SwedishCalendar;
use crate::register::index::IndexCache;
use crate::user_rates::UserRates;

pub struct Services {
    pub db: Db,
    pub clock: SharedClock,
    pub policy: DeadlinePolicy,
    pub settings: Arc<Settings>,
    /// The register's search index, rebuilt when the register changes.
    pub register_index: IndexCache,
    /// Searches and exports per member of staff.
    pub user_rates: UserRates,
}

impl Services {
    pub fn new(settings: Settings, clock: SharedClock, db: Db) -> Self {
        Services {
            db,
            clock,
            policy: DeadlinePolicy {
                calendar: SwedishCalendar {
                    eves_are_holidays: settings.deadline.eves_are_holidays,
                },
                pause_while_awaiting_identity: settings.deadline.pause_while_awaiting_identity,
            },
            user_rates: UserRates::from_settings(&settings.server),
            settings: Arc::new(settings),
            register_index: Default::default(),
        }
    }

    /// The lowest e-legitimation level that verifies a party (validated at start-up).
    pub fn minimum_assurance(&self) -> crate::domain::assurance::AssuranceLevel {
        crate::domain::assurance::AssuranceLevel::parse(&self.settings.identity.minimum_assurance)
            .unwrap_or(crate::domain::assurance::AssuranceLevel::Loa3)
    }

    /// The förvaltningsrätt appealable decisions name.
    pub fn court(&self) -> &str {
        self.settings.organisation.court()
    }

    /// Today and the deadline policy, for building case responses.
    pub fn view_context(&self) -> ViewContext {
        ViewContext {
            today: self.clock.today(),
            policy: self.policy,
        }
    }
}
