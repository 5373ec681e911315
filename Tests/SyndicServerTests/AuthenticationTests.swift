import Foundation
import SyndicCore
@testable import SyndicServer
import Testing

/// Every /api/v1 call needs a bearer token the state knows and has not revoked; every
/// refusal is the same 401 and says nothing more.
@Suite struct AuthenticationTests {
    @Test func missingWrongAndRevokedTokensGetTheSame401() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        try APIFixtures.upsert(api.store, [APIFixtures.order("A")])
        let revoked = try api.createToken(name: "old")
        #expect(try api.store.revokeAccessToken("old", at: Date()) != nil)

        var bodies: Set<String> = []
        for (label, headers) in [("missing", [(name: String, value: String)]()),
                                 ("wrong", [("Authorization", "Bearer syn_0000")]),
                                 ("revoked", [("Authorization", "Bearer \(revoked)")]),
                                 ("not bearer", [("Authorization", "Basic \(api.token)")]),
                                 ("empty bearer", [("Authorization", "Bearer ")])] {
            for path in ["/api/v1/orders", "/api/v1/orders/A", "/api/v1/nothing-here"] {
                let response = try await api.send(path, token: .some(nil), headers: headers)
                #expect(response.status == 401, "\(label) \(path)")
                #expect(response.header("Content-Type") == "application/json")
                #expect(response.header("WWW-Authenticate") == "Bearer realm=\"syndic\"")
                bodies.insert(response.text)
            }
            let post = try await api.send("POST", "/api/v1/shipments", token: .some(nil), body: Data("{}".utf8), headers: headers)
            #expect(post.status == 401, "\(label) POST")
            bodies.insert(post.text)
        }
        #expect(bodies == ["{\"error\":{\"code\":\"unauthorized\",\"message\":\"a valid access token is required: Authorization: Bearer <token>\"}}"])

        let allowed = try await api.send("/api/v1/orders")
        #expect(allowed.status == 200)
        #expect(!(api.accessLog.joined().contains(api.token)), "the token never reaches the log")
        #expect(!(api.accessLog.joined().contains(revoked)))
    }

    @Test func aTokenRevokedWhileTheServerRunsIsRefusedFromTheNextRequest() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        #expect(try await api.send("/api/v1/orders").status == 200)
        #expect(try api.store.revokeAccessToken("erp", at: Date()) != nil)
        #expect(try await api.send("/api/v1/orders").status == 401)
    }

    @Test func operationsNeedNoToken() async throws {
        let api = try await APIHarness()
        defer { Task { await api.stop() } }
        for path in ["/healthz", "/metrics", "/openapi.yaml"] {
            #expect(try await api.send(path, token: .some(nil)).status == 200, "\(path)")
        }
    }

    @Test func tokensAreRandomAndOnlyTheirHashIsKept() async throws {
        let first = APIToken.generate()
        let second = APIToken.generate()
        #expect(first.token != second.token)
        #expect(first.token.hasPrefix("syn_") && first.token.count == 68)
        #expect(first.prefix == String(first.token.prefix(12)))
        #expect(first.hash == APIToken.hash(first.token))
        #expect(first.hash.count == 64 && !first.hash.contains(first.token.dropFirst(4)))
    }

    @Test func theBearerSchemeIsReadWithoutCaseAndSpacesAroundTheTokenDoNotCount() {
        #expect(APIToken.bearer("Bearer syn_ab12") == "syn_ab12")
        #expect(APIToken.bearer("bearer   syn_ab12 \t") == "syn_ab12")
        #expect(APIToken.bearer("BEARER syn_ab12") == "syn_ab12")
        #expect(APIToken.bearer("Basic dXNlcjpwYXNz") == nil)
        #expect(APIToken.bearer("Bearer ") == nil)
        #expect(APIToken.bearer("Bearer") == nil)
        #expect(APIToken.bearer(nil) == nil)
    }
}
