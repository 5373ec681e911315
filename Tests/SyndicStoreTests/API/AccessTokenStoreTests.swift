import Foundation
import SyndicCore
import Testing
@testable import SyndicStore

/// Access tokens of the Orders API in the state: only hashes, names unique among active
/// tokens, revocation by id or name.
@Suite struct AccessTokenStoreTests {
    typealias F = OrderFixtures

    @Test(arguments: StateBackend.allCases)
    func keepsHashesAndFindsActiveTokensByHash(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        let created = try store.createAccessToken(name: "erp", hash: "h1", prefix: "syn_aaaaaaaa", at: F.t0)
        #expect(created.id == 1)
        #expect(try store.accessToken(hash: "h1")?.name == "erp")
        #expect(try store.accessToken(hash: "h2") == nil)
        try store.markAccessTokenUsed(id: created.id, at: F.at(5))
        #expect(try store.accessTokens().map(\.lastUsedAt) == [F.at(5)])

        #expect(try RawState.count(store, "SELECT COUNT(*) FROM api_token") == 1)
        #expect(try Set(RawState.columns(store, of: "api_token"))
                == ["id", "name", "prefix", "token_hash", "created_at", "last_used_at", "revoked_at"])
    }

    @Test(arguments: StateBackend.allCases)
    func namesAreUniqueAmongActiveTokens(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        _ = try store.createAccessToken(name: "erp", hash: "h1", prefix: "p1", at: F.t0)
        #expect(throws: StoreError.tokenNameTaken("erp")) {
            try store.createAccessToken(name: "erp", hash: "h2", prefix: "p2", at: F.t0)
        }
        #expect(try store.revokeAccessToken("erp", at: F.at(1))?.id == 1)
        let again = try store.createAccessToken(name: "erp", hash: "h2", prefix: "p2", at: F.at(2))
        #expect(again.id == 2, "a revoked token's name is free again")
    }

    @Test(arguments: StateBackend.allCases)
    func revokedTokensNoLongerAuthenticate(_ backend: StateBackend) throws {
        let workspace = try F.Workspace(backend)
        let store = workspace.store
        _ = try store.createAccessToken(name: "a", hash: "ha", prefix: "pa", at: F.t0)
        _ = try store.createAccessToken(name: "b", hash: "hb", prefix: "pb", at: F.t0)
        let revoked = try #require(try store.revokeAccessToken("2", at: F.at(3)))
        #expect(revoked.name == "b")
        #expect(revoked.revokedAt == F.at(3))
        #expect(try store.accessToken(hash: "hb") == nil)
        #expect(try store.accessToken(hash: "ha") != nil)
        #expect(try store.revokeAccessToken("b", at: F.at(4)) == nil, "already revoked")
        #expect(try store.revokeAccessToken("nobody", at: F.at(4)) == nil)
        #expect(try store.accessTokens().map(\.revokedAt) == [nil, F.at(3)])
    }
}
