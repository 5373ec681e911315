import Foundation
import SyndicCore
@testable import SyndicServer
import Testing

/// Login codes, session tokens, their cookie and the CSRF token, without a server.
@Suite struct ConsoleAuthTests {
    @Test func tokensAre43Base64URLCharactersOfRandomness() {
        let tokens = (0..<50).map { _ in ConsoleAuth.newToken() }
        #expect(Set(tokens).count == 50)
        for token in tokens {
            #expect(token.count == 43)
            #expect(ConsoleAuth.isToken(token[...]), "\(token)")
            #expect(!token.contains("=") && !token.contains("+") && !token.contains("/"))
        }
        #expect(!ConsoleAuth.isToken(String(repeating: "A", count: 42)[...]))
        #expect(!ConsoleAuth.isToken((String(repeating: "A", count: 42) + "=")[...]))
    }

    @Test func theStateKeepsHashesAndTheCSRFTokenIsDerived() {
        let token = ConsoleAuth.newToken()
        #expect(ConsoleAuth.hash(token) == Hashing.sha256(Array(token.utf8)).hexString)
        let csrf = ConsoleAuth.csrfToken(session: token)
        #expect(csrf == Hashing.sha256(Array("csrf\u{0}\(token)".utf8)).hexString)
        #expect(csrf != ConsoleAuth.hash(token), "the CSRF token is not what the state keeps")
        #expect(csrf != ConsoleAuth.csrfToken(session: ConsoleAuth.newToken()))
        #expect(ConsoleAuth.sameText(csrf, csrf))
        #expect(!ConsoleAuth.sameText(csrf, String(csrf.dropLast())))
        #expect(!ConsoleAuth.sameText("abc", "abd"))
    }

    @Test func nextIsALocalPathOrTheRoot() {
        for (next, expected) in [("/orders?status=PENDING", "/orders?status=PENDING"), ("/", "/"), (nil, "/"),
                                 ("//evil.example", "/"), ("https://evil.example/", "/"), ("/\\evil.example", "/"),
                                 ("orders", "/"), ("/a b", "/"), ("/a\u{7F}", "/"), ("", "/")] as [(String?, String)] {
            #expect(ConsoleAuth.localPath(next) == expected, "\(next ?? "nil")")
        }
    }

    @Test func linksNameTheCodeAndWhereTheyLead() {
        #expect(ConsoleAuth.loginLink(baseURL: "http://127.0.0.1:8080/", code: "CODE", next: "/") == "http://127.0.0.1:8080/login?code=CODE")
        #expect(ConsoleAuth.loginLink(baseURL: "https://syndic.example.com/console", code: "CODE", next: "/orders?status=PENDING")
                == "https://syndic.example.com/console/login?code=CODE&next=%2Forders%3Fstatus%3DPENDING")
    }

    @Test func theCookieIsReadFromAnyCookieHeader() {
        let token = ConsoleAuth.newToken()
        #expect(ConsoleAuth.sessionToken(cookies: ["theme=dark; syndic_session=\(token); other=1"]) == token)
        #expect(ConsoleAuth.sessionToken(cookies: ["theme=dark", "syndic_session=\(token)"]) == token)
        #expect(ConsoleAuth.sessionToken(cookies: ["syndic_session=short; syndic_session=\(token)"]) == token)
        #expect(ConsoleAuth.sessionToken(cookies: ["xsyndic_session=\(token)"]) == nil)
        #expect(ConsoleAuth.sessionToken(cookies: []) == nil)
        #expect(ConsoleAuth.sessionCookie(token: token, secure: true)
                == "syndic_session=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure")
        #expect(ConsoleAuth.clearedCookie(secure: false) == "syndic_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }
}
