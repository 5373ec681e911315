import Testing
@testable import SyndicCore
import SyndicTestSupport

struct HashTableTests {
    @Test func setsGetsAndOverwrites() {
        var table = HashTable(expected: 4)
        #expect(table.value(42) == nil)
        table.set(42, 1)
        table.set(7, 2)
        #expect(table.value(42) == 1)
        #expect(table.value(7) == 2)
        table.set(42, 3)
        #expect(table.value(42) == 3)
        #expect(table.value(7) == 2)
        table.set(7, 0)
        #expect(table.value(7) == 0, "0 is a value like any other")
        #expect(table.value(43) == nil)
    }

    @Test func setIfAbsentKeepsTheFirstValue() {
        var table = HashTable(expected: 4)
        table.setIfAbsent(42, 1)
        table.setIfAbsent(42, 2)
        #expect(table.value(42) == 1)
        table.set(42, 3)
        table.setIfAbsent(42, 4)
        #expect(table.value(42) == 3)
    }

    @Test func keyZeroIsNeverStored() {
        var table = HashTable(expected: 4)
        table.set(0, 1)
        table.setIfAbsent(0, 2)
        #expect(table.value(0) == nil)
        // Key 16 has key 0's slot in a table of 16.
        #expect(table.value(16) == nil)
        table.set(16, 5)
        #expect(table.value(16) == 5)
        #expect(table.value(0) == nil)
    }

    /// Keys that differ only in their high bits all land on one slot and probe past it; keys
    /// whose slot is taken by them are still found, and absent ones are not.
    @Test func collidingLowBitsAreStillFound() {
        let count = 500
        var table = HashTable(expected: count * 2)
        let colliding = (1...UInt64(count)).map { $0 << 40 | 0x5 }
        let neighbours = (1...UInt64(count)).map { $0 << 40 | 0x6 }
        for (index, key) in colliding.enumerated() { table.set(key, UInt64(index)) }
        for (index, key) in neighbours.enumerated() { table.setIfAbsent(key, UInt64(1000 + index)) }
        #expect(colliding.enumerated().allSatisfy { table.value($1) == UInt64($0) })
        #expect(neighbours.enumerated().allSatisfy { table.value($1) == UInt64(1000 + $0) })
        #expect(table.value(UInt64(count + 1) << 40 | 0x5) == nil)
        #expect(table.value(0x5) == nil)
    }

    @Test func holdsAsManyEntriesAsExpected() {
        var random = SeededGenerator(seed: 7)
        let keys = Set((0..<10_000).map { _ in random.next() | 1 })
        var table = HashTable(expected: keys.count)
        for key in keys { table.set(key, ~key) }
        #expect(keys.allSatisfy { table.value($0) == ~$0 })
    }
}
