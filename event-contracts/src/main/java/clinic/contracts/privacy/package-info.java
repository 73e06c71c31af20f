/** Events of an erasure on request: ids only, never the address being erased (docs/privacy.md). */
package clinic.contracts.privacy;
