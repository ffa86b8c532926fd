import Hummingbird
import XinyongCore

/// Builds the router with every route and middleware. The composition root passes the environment.
public func buildRouter(_ env: WebEnvironment) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    if !env.trustedProxies.isEmpty { router.add(middleware: ClientAddressMiddleware(trustedProxies: env.trustedProxies)) }
    router.add(middleware: AuthMiddleware(env: env))
    router.add(middleware: AuditMiddleware(env: env))
    if let limiter = env.reading {
        router.add(middleware: ReadingLimitMiddleware(limiter: limiter))
    }
    APIController(env: env).register(on: router)
    CalendarController(env: env).register(on: router)
    CatalogController(env: env).register(on: router)
    SubmissionsController(env: env).register(on: router)
    let renderer = try PageRenderer()
    PagesController(env: env, renderer: renderer).register(on: router)
    ConsoleController(env: env, renderer: renderer).register(on: router)
    QualityController(env: env, renderer: renderer).register(on: router)
    PublicationController(env: env, renderer: renderer).register(on: router)
    ArticlesController(env: env, renderer: renderer).register(on: router)
    AdminController(env: env, renderer: renderer).register(on: router)
    LinkPagesController(env: env, renderer: renderer).register(on: router)
    CatalogPagesController(env: env, renderer: renderer).register(on: router)
    LinkController(env: env).register(on: router)
    ChecksController(env: env).register(on: router)
    ChecksPagesController(env: env, renderer: renderer).register(on: router)
    ListCasesController(env: env, renderer: renderer).register(on: router)
    RightsController(env: env).register(on: router)
    LedgerController(env: env).register(on: router)
    RightsPagesController(env: env, renderer: renderer).register(on: router)
    ReportsController(env: env, renderer: renderer).register(on: router)
    return router
}
