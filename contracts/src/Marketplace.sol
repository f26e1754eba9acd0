// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20, SafeTransfer} from "./IERC20.sol";

/// @title Enigma data Marketplace
/// @notice The on-chain controller of the enigma network: dataset listings with
/// a price, a locked deposit and payout shares; subscriptions paid in an ERC-20
/// token; trials; a public ranking metric; pull payouts; the validator registry;
/// slashing of deposits for offences attested by a threshold of validators.
///
/// Owner powers are bounded in time: after the first validator set, a new set
/// is only announced (ValidatorSetAnnounced) and takes effect
/// validatorSetDelay later (activateValidators, callable by anyone), so
/// providers, subscribers and validators see a change coming before it can
/// slash anyone. Signatures of a replaced set can slash only datasets that
/// existed in its epoch, and only for SLASH_GRACE_PERIOD after it ended.
///
/// Rules kept throughout:
/// - Checks, then effects, then interactions: every token transfer is the last
///   thing a function does, and every function that moves tokens is also
///   guarded against re-entry.
/// - No loop runs over subscribers. Loops are bounded by constants: periods
///   (MAX_PERIODS), payout shares (MAX_PAYOUTS), validators (MAX_VALIDATORS),
///   name bytes (MAX_NAME_LENGTH).
/// - A dataset's ID is keccak256(abi.encodePacked(provider, name)).
///
/// Refund rule: unsubscribe ends access at once and refunds nothing. Each
/// payment is credited to the payout accounts when it is made, and they may
/// withdraw it at once, so a refund of unused time would need every payment
/// escrowed for its whole term (or a clawback from payees who already
/// withdrew). Subscribers are compensated instead when the provider is slashed
/// for an offence: the slashed deposit is shared among the subscribers counted
/// in the period of the slash (claimRefund).
contract Marketplace {
    using SafeTransfer for IERC20;

    /// One subscription period.
    uint64 public constant PERIOD = 30 days;
    /// Most periods one subscribe call may buy, and most periods of paid time
    /// a subscriber may hold ahead of now.
    uint256 public constant MAX_PERIODS = 24;
    uint256 public constant MAX_PAYOUTS = 8;
    /// Fewest validators of an epoch: PBFT tolerates f = (n - 1) / 3 faulty
    /// validators, so it needs n >= 4 to tolerate one.
    uint256 public constant MIN_VALIDATORS = 4;
    uint256 public constant MAX_VALIDATORS = 64;
    uint256 public constant MAX_NAME_LENGTH = 64;
    uint64 public constant MAX_TRIAL_PERIOD = 30 days;
    /// How long after an epoch ended its validators' signatures still slash:
    /// an offence seen just before a set change can still be punished, but
    /// keys of a set that left cannot slash for ever.
    uint64 public constant SLASH_GRACE_PERIOD = 1 days;
    uint16 public constant BPS = 10_000;
    /// Domain tag of slash attestations; see slashDigest.
    bytes32 public constant SLASH_TYPEHASH =
        keccak256("enigma/marketplace/slash/v1(bytes32 id,bytes32 offence,uint64 epoch)");

    uint256 private constant SECP256K1_HALF_N =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    struct Payout {
        address account;
        uint16 bps;
    }

    struct Dataset {
        address provider;
        uint64 trialPeriod; // seconds; 0 = no trials
        bool active;
        uint24 slashCount;
        uint128 price; // token units per period
        uint128 deposit;
        uint64 createdAt;
        uint64 accessEnds; // latest subscription expiry or trial end granted so far
        uint64 deactivatedAt;
        uint64 registeredEpoch; // the validator epoch current at registration
        bytes32 metadataHash;
        uint256 totalPaid;
        string name;
        Payout[] payouts;
    }

    /// Everything about a dataset, in one call.
    struct DatasetView {
        bytes32 id;
        address provider;
        string name;
        uint256 price;
        uint256 deposit;
        bytes32 metadataHash;
        uint64 trialPeriod;
        bool active;
        uint64 createdAt;
        uint64 registeredEpoch;
        uint64 accessEnds;
        uint64 deactivatedAt;
        uint256 totalPaid;
        uint256 slashCount;
        Payout[] payouts;
    }

    struct Subscription {
        uint64 expiry; // access until (exclusive); <= now means not subscribed
        uint64 runStart; // when the current unbroken subscription began
        uint32 firstPeriod; // first period counted for the current run
        uint32 countedUntil; // this subscriber is counted in activeIn for periods < countedUntil
        uint64 trialEnds; // 0 = trial never started
    }

    /// The compensation from one slash: an equal share for each subscriber
    /// counted in the slash's period who had subscribed before the slash.
    struct RefundPool {
        uint128 perSubscriber;
        uint32 period;
        uint64 slashedAt;
        uint32 claimsLeft;
    }

    IERC20 public immutable token;
    /// After a dataset is deactivated and the last access it granted has
    /// ended, its deposit stays slashable this long before the provider may
    /// withdraw it.
    uint64 public immutable challengeWindow;
    /// Seconds between the announcement of a validator set (after the first)
    /// and the earliest time it can take effect. Fixed at deployment, so the
    /// owner cannot shorten the notice it gives.
    uint64 public immutable validatorSetDelay;

    address public owner;
    uint128 public minDeposit;
    uint128 public slashAmount;

    mapping(bytes32 => Dataset) private datasets;
    bytes32[] private datasetIds;
    mapping(bytes32 => mapping(address => Subscription)) private subs;
    /// id => period => subscribers paid for some time in that period.
    mapping(bytes32 => mapping(uint256 => uint256)) private activeIn;
    /// Payout balances waiting for withdraw().
    mapping(address => uint256) public balances;

    uint64 public epoch;
    /// When the announced set of epoch + 1 may be activated; 0: none pending.
    /// The pending set is stored under epoch + 1 but is not a validator set
    /// (validatorSet, isValidator and slash ignore epochs above epoch) until
    /// activateValidators.
    uint64 private pendingActivatesAt;
    /// epoch => when the next epoch replaced it (0 while it is current).
    mapping(uint64 => uint64) public epochEndedAt;
    mapping(uint64 => address[]) private validatorAccounts;
    mapping(uint64 => bytes32[]) private validatorNodeKeys;
    mapping(uint64 => uint16) private thresholds;
    mapping(uint64 => mapping(address => bool)) private isValidatorIn;
    mapping(uint64 => mapping(bytes32 => bool)) private nodeKeyIn;

    /// id => epoch => slashed; one offence per dataset per epoch.
    mapping(bytes32 => mapping(uint64 => bool)) public slashed;
    mapping(bytes32 => mapping(uint64 => RefundPool)) private refundPools;
    mapping(bytes32 => mapping(uint64 => mapping(address => bool))) private refundClaimed;

    bool private transient locked;

    event DatasetRegistered(
        bytes32 indexed id,
        address indexed provider,
        string name,
        uint256 price,
        uint256 deposit,
        bytes32 metadataHash,
        uint64 trialPeriod
    );
    event PriceChanged(bytes32 indexed id, uint256 price);
    event MetadataChanged(bytes32 indexed id, bytes32 metadataHash);
    event PayoutsChanged(bytes32 indexed id, Payout[] payouts);
    event DepositChanged(bytes32 indexed id, uint256 deposit);
    event DatasetDeactivated(bytes32 indexed id, uint64 depositUnlocksAt);
    event DepositWithdrawn(bytes32 indexed id, address indexed provider, uint256 amount);
    event Subscribed(bytes32 indexed id, address indexed subscriber, uint256 periods, uint256 paid, uint64 expiry);
    event Unsubscribed(bytes32 indexed id, address indexed subscriber);
    event TrialStarted(bytes32 indexed id, address indexed subscriber, uint64 trialEnds);
    event Withdrawn(address indexed account, uint256 amount);
    event ValidatorSetChanged(uint64 indexed epoch, uint16 threshold, address[] accounts, bytes32[] nodeKeys);
    event ValidatorSetAnnounced(
        uint64 indexed nextEpoch, uint64 activatesAt, uint16 threshold, address[] accounts, bytes32[] nodeKeys
    );
    event ValidatorSetCancelled(uint64 indexed nextEpoch, uint64 activatesAt);
    event Slashed(
        bytes32 indexed id, uint64 indexed epoch, bytes32 offence, uint256 amount, uint256 affected, uint256 perSubscriber
    );
    event RefundClaimed(bytes32 indexed id, uint64 indexed epoch, address indexed subscriber, uint256 amount);
    event SlashAmountChanged(uint256 amount);
    event MinDepositChanged(uint256 amount);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner(address caller);
    error NotProvider(bytes32 id, address caller);
    error Reentrancy();
    error ZeroAddress();
    error NotAContract(address account);
    error BadName(uint256 position);
    error DatasetExists(bytes32 id);
    error UnknownDataset(bytes32 id);
    error DatasetInactive(bytes32 id);
    error DatasetActive(bytes32 id);
    error DepositTooSmall(uint256 deposit, uint256 minimum);
    error DepositLocked(uint64 unlocksAt);
    error ZeroAmount();
    error TooManyPayouts(uint256 count, uint256 max);
    error ZeroPayout(uint256 index);
    error PayoutSharesNotTotal(uint256 sumBps);
    error TrialTooLong(uint64 trialPeriod, uint64 max);
    error BadPeriodCount(uint256 periods, uint256 max);
    error PaidTooFarAhead(uint64 expiry, uint64 latestAllowed);
    error NotSubscribed(bytes32 id, address subscriber);
    error AlreadySubscribed(bytes32 id, address subscriber);
    error NoTrial(bytes32 id);
    error TrialAlreadyUsed(bytes32 id, address subscriber);
    error NothingToWithdraw(address account);
    error BadValidatorSet(uint256 accounts, uint256 nodeKeys);
    error TooFewValidators(uint256 validators, uint256 min);
    error BadThreshold(uint16 threshold, uint256 validators, uint256 min, uint256 max);
    error DuplicateValidator(address account, bytes32 nodeKey);
    error UnknownEpoch(uint64 epoch);
    error NoPendingValidatorSet();
    error ValidatorSetPending(uint64 nextEpoch, uint64 activatesAt);
    error DatasetNewerThanEpoch(bytes32 id, uint64 registeredEpoch, uint64 epoch);
    error EpochExpired(uint64 epoch, uint64 slashableUntil);
    error AlreadySlashed(bytes32 id, uint64 epoch);
    error NotEnoughSignatures(uint256 given, uint16 threshold);
    error BadSignature(uint256 index);
    error SignersNotAscending(uint256 index);
    error NotValidator(address signer, uint64 epoch);
    error NoRefund(bytes32 id, uint64 epoch, address subscriber);

    modifier nonReentrant() {
        if (locked) revert Reentrancy();
        locked = true;
        _;
        locked = false;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(
        IERC20 token_,
        uint128 minDeposit_,
        uint128 slashAmount_,
        uint64 challengeWindow_,
        uint64 validatorSetDelay_
    ) {
        if (address(token_).code.length == 0) revert NotAContract(address(token_));
        token = token_;
        minDeposit = minDeposit_;
        slashAmount = slashAmount_;
        challengeWindow = challengeWindow_;
        validatorSetDelay = validatorSetDelay_;
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    // ---------------------------------------------------------------- providers

    /// @notice Lists a dataset under msg.sender. The deposit is pulled with
    /// transferFrom (approve it first) and stays locked until withdrawDeposit.
    function register(
        string calldata name,
        uint128 price,
        uint128 deposit,
        bytes32 metadataHash,
        Payout[] calldata payouts,
        uint64 trialPeriod
    ) external nonReentrant returns (bytes32 id) {
        _checkName(name);
        id = keccak256(abi.encodePacked(msg.sender, name));
        Dataset storage d = datasets[id];
        if (d.provider != address(0)) revert DatasetExists(id);
        if (deposit < minDeposit || deposit == 0) revert DepositTooSmall(deposit, minDeposit);
        if (trialPeriod > MAX_TRIAL_PERIOD) revert TrialTooLong(trialPeriod, MAX_TRIAL_PERIOD);

        d.provider = msg.sender;
        d.trialPeriod = trialPeriod;
        d.active = true;
        d.price = price;
        d.deposit = deposit;
        d.createdAt = uint64(block.timestamp);
        d.registeredEpoch = epoch;
        d.metadataHash = metadataHash;
        d.name = name;
        _setPayouts(d, payouts);
        datasetIds.push(id);

        emit DatasetRegistered(id, msg.sender, name, price, deposit, metadataHash, trialPeriod);
        emit PayoutsChanged(id, payouts);
        token.safeTransferFrom(msg.sender, address(this), deposit);
    }

    /// @notice New price, paid by subscriptions bought from now on; time
    /// already paid for is unaffected.
    function setPrice(bytes32 id, uint128 price) external {
        _ownDataset(id).price = price;
        emit PriceChanged(id, price);
    }

    function setMetadataHash(bytes32 id, bytes32 metadataHash) external {
        _ownDataset(id).metadataHash = metadataHash;
        emit MetadataChanged(id, metadataHash);
    }

    /// @notice New payout shares, applied to payments from now on.
    function setPayouts(bytes32 id, Payout[] calldata payouts) external {
        Dataset storage d = _ownDataset(id);
        delete d.payouts;
        _setPayouts(d, payouts);
        emit PayoutsChanged(id, payouts);
    }

    /// @notice Tops up the deposit (pulled with transferFrom).
    function addDeposit(bytes32 id, uint128 amount) external nonReentrant {
        Dataset storage d = _ownDataset(id);
        if (amount == 0) revert ZeroAmount();
        d.deposit += amount;
        emit DepositChanged(id, d.deposit);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Stops new subscriptions, renewals and trials. Access already
    /// granted runs to its end.
    function deactivate(bytes32 id) external {
        Dataset storage d = _ownDataset(id);
        if (!d.active) revert DatasetInactive(id);
        d.active = false;
        d.deactivatedAt = uint64(block.timestamp);
        emit DatasetDeactivated(id, _depositUnlocksAt(d));
    }

    /// @notice Returns the deposit to the provider once the dataset is
    /// deactivated, every access it granted has ended and the challenge window
    /// after that has passed.
    function withdrawDeposit(bytes32 id) external nonReentrant {
        Dataset storage d = _ownDataset(id);
        if (d.active) revert DatasetActive(id);
        uint64 unlocksAt = _depositUnlocksAt(d);
        if (block.timestamp < unlocksAt) revert DepositLocked(unlocksAt);
        uint256 amount = d.deposit;
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        d.deposit = 0;
        emit DepositWithdrawn(id, msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // -------------------------------------------------------------- subscribers

    /// @notice Pays price × periods and extends the caller's access by that
    /// many periods from max(now, current expiry).
    function subscribe(bytes32 id, uint256 periods) external nonReentrant returns (uint64 expiry) {
        Dataset storage d = _dataset(id);
        if (!d.active) revert DatasetInactive(id);
        if (periods == 0 || periods > MAX_PERIODS) revert BadPeriodCount(periods, MAX_PERIODS);

        Subscription storage s = subs[id][msg.sender];
        uint64 now_ = uint64(block.timestamp);
        uint32 current = uint32(now_ / PERIOD);
        uint32 from = s.countedUntil;
        if (s.expiry <= now_) {
            // A new run. A run that lapsed earlier in this period is already
            // counted in it, so counting starts after it.
            s.runStart = now_;
            s.firstPeriod = current;
            if (from < current) from = current;
        }
        expiry = (s.expiry > now_ ? s.expiry : now_) + uint64(periods) * PERIOD;
        uint64 latest = now_ + uint64(MAX_PERIODS) * PERIOD;
        if (expiry > latest) revert PaidTooFarAhead(expiry, latest);

        uint32 until = uint32((expiry - 1) / PERIOD) + 1;
        for (uint256 p = from; p < until; ++p) {
            activeIn[id][p] += 1;
        }
        s.countedUntil = until;
        s.expiry = expiry;
        if (expiry > d.accessEnds) d.accessEnds = expiry;

        uint256 amount = uint256(d.price) * periods;
        d.totalPaid += amount;
        _credit(d, amount);
        emit Subscribed(id, msg.sender, periods, amount, expiry);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Ends the caller's subscription now, without refund (see the
    /// contract notes). The caller stops counting in future periods; the
    /// current period, in which it was subscribed, still counts it.
    function unsubscribe(bytes32 id) external {
        Subscription storage s = subs[id][msg.sender];
        uint64 now_ = uint64(block.timestamp);
        if (s.expiry <= now_) revert NotSubscribed(id, msg.sender);
        uint32 next = uint32(now_ / PERIOD) + 1;
        for (uint256 p = next; p < s.countedUntil; ++p) {
            activeIn[id][p] -= 1;
        }
        if (s.countedUntil > next) s.countedUntil = next;
        s.expiry = now_;
        emit Unsubscribed(id, msg.sender);
    }

    /// @notice Starts the caller's one trial of the dataset: access for the
    /// dataset's trial period, free.
    function startTrial(bytes32 id) external returns (uint64 trialEnds) {
        Dataset storage d = _dataset(id);
        if (!d.active) revert DatasetInactive(id);
        if (d.trialPeriod == 0) revert NoTrial(id);
        Subscription storage s = subs[id][msg.sender];
        if (s.trialEnds != 0) revert TrialAlreadyUsed(id, msg.sender);
        if (s.expiry > block.timestamp) revert AlreadySubscribed(id, msg.sender);
        trialEnds = uint64(block.timestamp) + d.trialPeriod;
        s.trialEnds = trialEnds;
        if (trialEnds > d.accessEnds) d.accessEnds = trialEnds;
        emit TrialStarted(id, msg.sender, trialEnds);
    }

    /// @notice Claims the caller's share of the refund pool of the slash of
    /// dataset id in the given epoch. Eligible: subscribers counted in the
    /// period of the slash whose subscription began before it. Claim before
    /// starting a new subscription run on the dataset, which resets the run.
    function claimRefund(bytes32 id, uint64 epoch_) external nonReentrant {
        RefundPool storage pool = refundPools[id][epoch_];
        Subscription storage s = subs[id][msg.sender];
        bool eligible = pool.slashedAt != 0 && pool.claimsLeft > 0 && s.runStart != 0
            && s.runStart <= pool.slashedAt && s.firstPeriod <= pool.period && pool.period < s.countedUntil
            && !refundClaimed[id][epoch_][msg.sender];
        if (!eligible) revert NoRefund(id, epoch_, msg.sender);
        refundClaimed[id][epoch_][msg.sender] = true;
        pool.claimsLeft -= 1;
        uint256 amount = pool.perSubscriber;
        emit RefundClaimed(id, epoch_, msg.sender, amount);
        if (amount > 0) token.safeTransfer(msg.sender, amount);
    }

    // ------------------------------------------------------------------ payouts

    /// @notice Pays out the caller's accumulated payout balance.
    function withdraw() external nonReentrant {
        uint256 amount = balances[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        balances[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // --------------------------------------------------------------- validators

    /// @notice Sets the validator set of the next epoch: Ethereum accounts
    /// (they sign slash attestations) and Ed25519 node keys (they sign ledger
    /// checkpoints), and the number of signatures a slash needs.
    ///
    /// The first set (epoch 0 -> 1) takes effect at once, to bootstrap the
    /// network. Every later set is only announced (ValidatorSetAnnounced): it
    /// takes effect when anyone calls activateValidators at or after
    /// activatesAt = now + validatorSetDelay. Until then the current epoch and
    /// its set stay as they are, and the owner may replace the announcement
    /// (a new call: ValidatorSetCancelled, then ValidatorSetAnnounced, and the
    /// delay starts again) or withdraw it (cancelValidatorSet). The delay is
    /// the notice providers get: a set the owner controls cannot slash before
    /// it has been public for validatorSetDelay.
    /// @dev With n validators, up to f = (n - 1) / 3 may be Byzantine, so the
    /// set needs n >= MIN_VALIDATORS (= 4) to tolerate one fault at all
    /// (TooFewValidators). The threshold t must lie in [q, n - f] with
    /// q = (n + f + 2) / 2 = ceil((n + f + 1) / 2), the quorum of the
    /// off-chain ledger (BadThreshold):
    /// - t >= q: any two sets of t signers share at least 2t - n >= f + 1
    ///   validators, so at least one correct one. A slash quorum is then a
    ///   quorum in the BFT sense, like the ledger's certificates: it holds
    ///   more than f signers, so a correct validator observed the offence,
    ///   and it meets every other quorum (the one that certified the
    ///   offence record, or one that attests otherwise) in a correct
    ///   validator, which never signs both sides. The classic 2f + 1 has
    ///   this property only when n = 3f + 1: with n = 5, two sets of 3 may
    ///   meet in the one faulty validator alone.
    /// - t <= n - f: the correct validators alone can reach the threshold, so
    ///   f faulty validators cannot prevent a deserved slash by withholding
    ///   their signatures.
    /// q <= n - f for every n >= 1, so the range is never empty; it is the
    /// single value 2f + 1 when n = 3f + 1.
    /// @return nextEpoch the epoch the set belongs to (epoch + 1)
    /// @return activatesAt when it takes (the first set: took) effect
    function setValidators(address[] calldata accounts, bytes32[] calldata nodeKeys, uint16 threshold)
        external
        onlyOwner
        returns (uint64 nextEpoch, uint64 activatesAt)
    {
        uint256 n = accounts.length;
        if (n > MAX_VALIDATORS || nodeKeys.length != n) revert BadValidatorSet(n, nodeKeys.length);
        if (n < MIN_VALIDATORS) revert TooFewValidators(n, MIN_VALIDATORS);
        uint256 f = (n - 1) / 3;
        uint256 quorum = (n + f + 2) / 2;
        if (threshold < quorum || threshold > n - f) revert BadThreshold(threshold, n, quorum, n - f);
        nextEpoch = epoch + 1;
        if (pendingActivatesAt != 0) _cancelPending(nextEpoch);
        for (uint256 i = 0; i < n; ++i) {
            address a = accounts[i];
            bytes32 k = nodeKeys[i];
            if (a == address(0) || k == bytes32(0) || isValidatorIn[nextEpoch][a] || nodeKeyIn[nextEpoch][k]) {
                revert DuplicateValidator(a, k);
            }
            isValidatorIn[nextEpoch][a] = true;
            nodeKeyIn[nextEpoch][k] = true;
        }
        validatorAccounts[nextEpoch] = accounts;
        validatorNodeKeys[nextEpoch] = nodeKeys;
        thresholds[nextEpoch] = threshold;
        if (nextEpoch == 1) {
            activatesAt = uint64(block.timestamp);
            epoch = nextEpoch;
            emit ValidatorSetChanged(nextEpoch, threshold, accounts, nodeKeys);
        } else {
            activatesAt = uint64(block.timestamp) + validatorSetDelay;
            pendingActivatesAt = activatesAt;
            emit ValidatorSetAnnounced(nextEpoch, activatesAt, threshold, accounts, nodeKeys);
        }
    }

    /// @notice Starts the next epoch with the announced validator set once
    /// its delay has passed. Anyone may call it: the owner cannot hold back a
    /// set it announced, and nobody needs the owner to make it effective. The
    /// epoch it ends stays valid for slashes for SLASH_GRACE_PERIOD.
    function activateValidators() external returns (uint64 newEpoch) {
        uint64 activatesAt = pendingActivatesAt;
        newEpoch = epoch + 1;
        if (activatesAt == 0) revert NoPendingValidatorSet();
        if (block.timestamp < activatesAt) revert ValidatorSetPending(newEpoch, activatesAt);
        pendingActivatesAt = 0;
        epochEndedAt[newEpoch - 1] = uint64(block.timestamp);
        epoch = newEpoch;
        emit ValidatorSetChanged(
            newEpoch, thresholds[newEpoch], validatorAccounts[newEpoch], validatorNodeKeys[newEpoch]
        );
    }

    /// @notice Withdraws the announced validator set; the current epoch goes
    /// on.
    function cancelValidatorSet() external onlyOwner {
        if (pendingActivatesAt == 0) revert NoPendingValidatorSet();
        _cancelPending(epoch + 1);
    }

    /// @notice The announced validator set of the next epoch and when it may
    /// be activated; activatesAt = 0 (and empty lists) when none is pending.
    function pendingValidatorSet()
        external
        view
        returns (
            uint64 nextEpoch,
            address[] memory accounts,
            bytes32[] memory nodeKeys,
            uint16 threshold,
            uint64 activatesAt
        )
    {
        nextEpoch = epoch + 1;
        activatesAt = pendingActivatesAt;
        if (activatesAt != 0) {
            accounts = validatorAccounts[nextEpoch];
            nodeKeys = validatorNodeKeys[nextEpoch];
            threshold = thresholds[nextEpoch];
        }
    }

    /// @notice The validator set of an epoch (empty for epoch 0, a pending
    /// one or a future one).
    function validatorSet(uint64 epoch_)
        external
        view
        returns (address[] memory accounts, bytes32[] memory nodeKeys, uint16 threshold)
    {
        if (epoch_ > epoch) return (accounts, nodeKeys, 0);
        return (validatorAccounts[epoch_], validatorNodeKeys[epoch_], thresholds[epoch_]);
    }

    /// @notice Whether account is a validator of an epoch that has started.
    function isValidator(uint64 epoch_, address account) external view returns (bool) {
        return epoch_ <= epoch && isValidatorIn[epoch_][account];
    }

    // ----------------------------------------------------------------- slashing

    /// @notice What validators sign to attest an offence: bound to this chain
    /// and this contract, so a signature is valid nowhere else. Validators sign
    /// it as an EIP-191 personal message (the 32 digest bytes).
    function slashDigest(bytes32 id, bytes32 offence, uint64 epoch_) public view returns (bytes32) {
        return keccak256(abi.encode(SLASH_TYPEHASH, block.chainid, address(this), id, offence, epoch_));
    }

    /// @notice Slashes slashAmount (at most the whole deposit) of dataset id
    /// for an offence in epoch_, attested by at least the epoch's threshold of
    /// its validators. Signatures are 65 bytes [r || s || v], ordered by
    /// ascending signer address. One slash per dataset per epoch.
    /// An epoch's validators answer only for their own epoch: they cannot
    /// slash a dataset registered after it (DatasetNewerThanEpoch), and once
    /// a later epoch has started they can slash only for SLASH_GRACE_PERIOD
    /// after their epoch ended (EpochExpired).
    function slash(bytes32 id, bytes32 offence, uint64 epoch_, bytes[] calldata signatures) external {
        Dataset storage d = _dataset(id);
        uint64 current = epoch;
        if (epoch_ == 0 || epoch_ > current) revert UnknownEpoch(epoch_);
        if (d.registeredEpoch > epoch_) revert DatasetNewerThanEpoch(id, d.registeredEpoch, epoch_);
        if (epoch_ < current) {
            uint64 slashableUntil = epochEndedAt[epoch_] + SLASH_GRACE_PERIOD;
            if (block.timestamp > slashableUntil) revert EpochExpired(epoch_, slashableUntil);
        }
        if (slashed[id][epoch_]) revert AlreadySlashed(id, epoch_);
        uint16 threshold = thresholds[epoch_];
        if (signatures.length < threshold) revert NotEnoughSignatures(signatures.length, threshold);
        bytes32 h = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", slashDigest(id, offence, epoch_)));
        address last = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            address signer = _recover(h, signatures[i], i);
            if (signer <= last) revert SignersNotAscending(i);
            if (!isValidatorIn[epoch_][signer]) revert NotValidator(signer, epoch_);
            last = signer;
        }

        slashed[id][epoch_] = true;
        _applySlash(d, id, offence, epoch_);
    }

    // -------------------------------------------------------------------- owner

    function setSlashAmount(uint128 amount) external onlyOwner {
        slashAmount = amount;
        emit SlashAmountChanged(amount);
    }

    function setMinDeposit(uint128 amount) external onlyOwner {
        minDeposit = amount;
        emit MinDepositChanged(amount);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    // -------------------------------------------------------------------- views

    function datasetId(address provider, string calldata name) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(provider, name));
    }

    function datasetCount() external view returns (uint256) {
        return datasetIds.length;
    }

    function datasetIdAt(uint256 index) external view returns (bytes32) {
        return datasetIds[index];
    }

    function getDataset(bytes32 id) external view returns (DatasetView memory v) {
        Dataset storage d = _dataset(id);
        v.id = id;
        v.provider = d.provider;
        v.name = d.name;
        v.price = d.price;
        v.deposit = d.deposit;
        v.metadataHash = d.metadataHash;
        v.trialPeriod = d.trialPeriod;
        v.active = d.active;
        v.createdAt = d.createdAt;
        v.registeredEpoch = d.registeredEpoch;
        v.accessEnds = d.accessEnds;
        v.deactivatedAt = d.deactivatedAt;
        v.totalPaid = d.totalPaid;
        v.slashCount = d.slashCount;
        v.payouts = d.payouts;
    }

    function exists(bytes32 id) external view returns (bool) {
        return datasets[id].provider != address(0);
    }

    /// @notice The ranking metric: subscribers paid for some time in the
    /// current period (exact, from per-period counters), total ever paid (the
    /// tiebreak) and how often the dataset was slashed.
    function rank(bytes32 id) external view returns (uint256 activeSubscribers, uint256 totalPaid, uint256 slashCount) {
        Dataset storage d = _dataset(id);
        return (activeIn[id][block.timestamp / PERIOD], d.totalPaid, d.slashCount);
    }

    function activeSubscribersIn(bytes32 id, uint256 period) external view returns (uint256) {
        return activeIn[id][period];
    }

    function currentPeriod() external view returns (uint256) {
        return block.timestamp / PERIOD;
    }

    function isSubscribed(bytes32 id, address user) external view returns (bool) {
        return subs[id][user].expiry > block.timestamp;
    }

    /// @notice Subscribed, or in an active trial.
    function hasAccess(bytes32 id, address user) external view returns (bool) {
        Subscription storage s = subs[id][user];
        return s.expiry > block.timestamp || s.trialEnds > block.timestamp;
    }

    function subscription(bytes32 id, address user) external view returns (Subscription memory) {
        return subs[id][user];
    }

    function refundPool(bytes32 id, uint64 epoch_) external view returns (RefundPool memory) {
        return refundPools[id][epoch_];
    }

    // ---------------------------------------------------------------- internals

    function _dataset(bytes32 id) private view returns (Dataset storage d) {
        d = datasets[id];
        if (d.provider == address(0)) revert UnknownDataset(id);
    }

    function _ownDataset(bytes32 id) private view returns (Dataset storage d) {
        d = _dataset(id);
        if (d.provider != msg.sender) revert NotProvider(id, msg.sender);
    }

    /// Forgets the announced set of nextEpoch.
    function _cancelPending(uint64 nextEpoch) private {
        address[] storage accounts = validatorAccounts[nextEpoch];
        bytes32[] storage nodeKeys = validatorNodeKeys[nextEpoch];
        for (uint256 i = 0; i < accounts.length; ++i) {
            delete isValidatorIn[nextEpoch][accounts[i]];
            delete nodeKeyIn[nextEpoch][nodeKeys[i]];
        }
        delete validatorAccounts[nextEpoch];
        delete validatorNodeKeys[nextEpoch];
        delete thresholds[nextEpoch];
        emit ValidatorSetCancelled(nextEpoch, pendingActivatesAt);
        pendingActivatesAt = 0;
    }

    function _depositUnlocksAt(Dataset storage d) private view returns (uint64) {
        uint64 last = d.accessEnds > d.deactivatedAt ? d.accessEnds : d.deactivatedAt;
        return last + challengeWindow;
    }

    function _setPayouts(Dataset storage d, Payout[] calldata payouts) private {
        uint256 n = payouts.length;
        if (n > MAX_PAYOUTS) revert TooManyPayouts(n, MAX_PAYOUTS);
        uint256 sum = 0;
        for (uint256 i = 0; i < n; ++i) {
            if (payouts[i].account == address(0) || payouts[i].bps == 0) revert ZeroPayout(i);
            sum += payouts[i].bps;
            d.payouts.push(payouts[i]);
        }
        if (sum != BPS) revert PayoutSharesNotTotal(sum);
    }

    /// Credits a payment to the payout accounts by their shares; the rounding
    /// remainder goes to the first account (the provider's, by convention).
    function _credit(Dataset storage d, uint256 amount) private {
        Payout[] storage ps = d.payouts;
        uint256 rest = amount;
        for (uint256 i = 1; i < ps.length; ++i) {
            uint256 share = amount * ps[i].bps / BPS;
            balances[ps[i].account] += share;
            rest -= share;
        }
        balances[ps[0].account] += rest;
    }

    /// Moves the slashed part of the deposit into the epoch's refund pool.
    function _applySlash(Dataset storage d, bytes32 id, bytes32 offence, uint64 epoch_) private {
        uint256 amount = slashAmount < d.deposit ? slashAmount : d.deposit;
        d.deposit -= uint128(amount);
        d.slashCount += 1;
        uint32 current = uint32(block.timestamp / PERIOD);
        uint256 affected = activeIn[id][current];
        uint256 perSubscriber = affected == 0 ? 0 : amount / affected;
        // What cannot be shared equally (all of it when nobody is affected)
        // goes to the owner's payout balance.
        uint256 rest = amount - perSubscriber * affected;
        if (rest > 0) balances[owner] += rest;
        refundPools[id][epoch_] = RefundPool({
            perSubscriber: uint128(perSubscriber),
            period: current,
            slashedAt: uint64(block.timestamp),
            claimsLeft: uint32(affected)
        });
        emit Slashed(id, epoch_, offence, amount, affected, perSubscriber);
    }

    function _recover(bytes32 h, bytes calldata sig, uint256 index) private pure returns (address signer) {
        if (sig.length != 65) revert BadSignature(index);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v < 27) v += 27;
        if (uint256(s) > SECP256K1_HALF_N || (v != 27 && v != 28)) revert BadSignature(index);
        signer = ecrecover(h, v, r, s);
        if (signer == address(0)) revert BadSignature(index);
    }

    function _checkName(string calldata name) private pure {
        bytes calldata b = bytes(name);
        if (b.length == 0 || b.length > MAX_NAME_LENGTH) revert BadName(b.length);
        for (uint256 i = 0; i < b.length; ++i) {
            bytes1 c = b[i];
            bool ok = (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
                || (i > 0 && (c == "_" || c == "-" || c == "."));
            if (!ok) revert BadName(i);
        }
    }
}
