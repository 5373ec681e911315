import ArgumentParser
import Foundation
import SyndicServer
import SyndicCore
import SyndicStore

/// `syndic token`: access tokens of the Orders API.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke access tokens of the Orders API.",
        subcommands: [Create.self, List.self, Revoke.self])

    /// `syndic token create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once (the state keeps only its hash).")

        @OptionGroup var options: GlobalOptions

        @Option(name: .long, help: "A name to tell tokens apart (default: token-<first characters>).")
        var name: String?

        func validate() throws {
            if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        }

        func run() throws {
            let store = try options.openStore()
            let (token, prefix, hash) = APIToken.generate()
            do {
                let record = try store.createAccessToken(name: name ?? "token-" + prefix.dropFirst(4), hash: hash,
                                                         prefix: prefix, at: CommandClock.now())
                Output.print(token)
                Output.error("created token \(record.id) \"\(record.name)\"; it is shown only now: keep it in your ERP's secret store")
            } catch {
                throw Failure.exit("\(error)")
            }
        }
    }

    /// `syndic token list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens: id, name, first characters, dates.")

        @OptionGroup var options: GlobalOptions

        @Option(name: .long, help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() throws {
            let store = try options.openStore()
            let tokens: [AccessToken]
            do {
                tokens = try store.accessTokens()
            } catch {
                throw Failure.exit("\(error)")
            }
            switch format {
            case .text: Output.print(TokensView(tokens: tokens).render())
            case .json:
                do {
                    Output.print(try TokensJSON(tokens: tokens).render())
                } catch {
                    throw Failure.exit("\(error)")
                }
            }
        }
    }

    /// `syndic token revoke`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token by id or name; the API refuses it from the next request.",
            discussion: "Exit 1 when no token that is not revoked has that id or name.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The token's id or name.")
        var token: String

        func run() throws {
            let store = try options.openStore()
            let revoked: AccessToken?
            do {
                revoked = try store.revokeAccessToken(token, at: CommandClock.now())
            } catch {
                throw Failure.exit("\(error)")
            }
            guard let revoked else { throw Failure.exit("no active token \(token); `syndic token list` lists them") }
            Output.print("revoked token \(revoked.id) \"\(revoked.name)\"")
        }
    }
}
