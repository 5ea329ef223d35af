// The manual's literal XML examples, copied verbatim (whitespace, indentation and the two
// malformed examples included) from shared/seeds/001_9be1089c4c489ca0.txt. Test-only fixture.
// `line` is the manual line where the PDU starts; `section` is the heading it appears under.

export interface ManualExample {
  line: number;
  root: 'TelServiceRequest' | 'TelServiceReturn' | 'TelServiceEvent';
  section: string;
  xml: string;
}

export const manualExamples: ManualExample[] = [
  {
    line: 74,
    root: 'TelServiceReturn',
    section: 'Standard result',
    xml: `<TelServiceReturn>
  <result>
    <standard/>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 93,
    root: 'TelServiceReturn',
    section: 'PBX link out of sercice',
    xml: `<TelServiceReturn>
  <error>
    <pbxlinkOutOfService/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 106,
    root: 'TelServiceReturn',
    section: 'PBX reject',
    xml: `<TelServiceReturn>
  <error>
    <pbxReject/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 119,
    root: 'TelServiceReturn',
    section: 'PBX timeout',
    xml: `<TelServiceReturn>
  <error>
    <pbxTimeout/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 132,
    root: 'TelServiceReturn',
    section: 'No call',
    xml: `<TelServiceReturn>
  <error>
    <noCall/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 145,
    root: 'TelServiceReturn',
    section: 'No open session',
    xml: `<TelServiceReturn>
  <error>
    <noOpenSession/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 158,
    root: 'TelServiceReturn',
    section: 'Session limit exceeded',
    xml: `<TelServiceReturn>
  <error>
    <sessionLimitExceeded/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 171,
    root: 'TelServiceReturn',
    section: 'Reject',
    xml: `<TelServiceReturn>
  <error>
    <reject/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 184,
    root: 'TelServiceReturn',
    section: 'Invalid credentials',
    xml: `<TelServiceReturn>
  <error>
    <invalidCredentials/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 197,
    root: 'TelServiceReturn',
    section: 'Resource error',
    xml: `<TelServiceReturn>
  <error>
    <resourceError/>
  </error>
</TelServiceReturn>`,
  },
  {
    line: 229,
    root: 'TelServiceRequest',
    section: 'OpenSession, Example 1',
    xml: `<TelServiceRequest>
  <openSession>
    <deviceNumber>1101</deviceNumber>
    <eventUDPPort>20001</eventUDPPort>
    <eventUpdate>
      <full/>
    </eventUpdate>
  </openSession>
</TelServiceRequest>`,
  },
  {
    line: 243,
    root: 'TelServiceRequest',
    section: 'OpenSession, Example 2',
    xml: `<TelServiceRequest>
  <openSession>
    <deviceNumber>1101</deviceNumber>
    <eventUDPPort>20001</eventUDPPort>
    <eventUpdate>
      <full/>
    </eventUpdate>
    <userID>1101</userID>
  </openSession>
</TelServiceRequest>`,
  },
  {
    line: 268,
    root: 'TelServiceRequest',
    section: 'CloseSession',
    xml: `<TelServiceRequest>
  <closeSession>
    <deviceNumber>1101</deviceNumber>
  </closeSession>
</TelServiceRequest>`,
  },
  {
    line: 293,
    root: 'TelServiceRequest',
    section: 'AddPartyToCall',
    xml: `<TelServiceRequest>
  <addPartyToCall>
    <deviceNumber>1102</deviceNumber>
    <addedDeviceNumber>1103</addedDeviceNumber>
  </addPartyToCall>
</TelServiceRequest>`,
  },
  {
    line: 315,
    root: 'TelServiceRequest',
    section: 'AgentState',
    xml: `<TelServiceRequest>
  <agentState>
    <deviceNumber>1101</deviceNumber>
    <state>
      <notReady/>
    </state>
  </agentState>
</TelServiceRequest>`,
  },
  {
    line: 340,
    root: 'TelServiceRequest',
    section: 'AlternateCall',
    xml: `<TelServiceRequest>
  <alternateCall>
    <deviceNumber>1102</deviceNumber>
  </alternateCall>
</TelServiceRequest>`,
  },
  {
    line: 361,
    root: 'TelServiceRequest',
    section: 'AnswerCall',
    xml: `<TelServiceRequest>
  <answerCall>
    <deviceNumber>1102</deviceNumber>
    <callingNumber>1101</callingNumber>
  </answerCall>
</TelServiceRequest>`,
  },
  {
    line: 384,
    root: 'TelServiceRequest',
    section: 'ConferenceCall',
    xml: `<TelServiceRequest>
  <conferenceCall>
    <deviceNumber>1102</deviceNumber>
  </conferenceCall>
</TelServiceRequest>`,
  },
  {
    line: 407,
    root: 'TelServiceRequest',
    section: 'ConsultationCall',
    xml: `<TelServiceRequest>
  <consultationCall>
    <deviceNumber>1102</deviceNumber>
    <consultedDeviceNumber>1103</consultedDeviceNumber>
  </consultationCall>
</TelServiceRequest>`,
  },
  {
    line: 431,
    root: 'TelServiceRequest',
    section: 'DivertCall',
    xml: `<TelServiceRequest>
  <divertCall>
    <deviceNumber>1102</deviceNumber>
    <divertedDeviceNumber>1103</divertedDeviceNumber>
  </divertCall>
</TelServiceRequest>`,
  },
  {
    line: 453,
    root: 'TelServiceRequest',
    section: 'DoNotDisturb',
    xml: `TelServiceRequest>
  <doNotDisturb>
    <deviceNumber>1101</deviceNumber>
    <state>
      <on/>
    </state>
  </doNotDisturb>
</TelServiceRequest>`,
  },
  {
    line: 477,
    root: 'TelServiceRequest',
    section: 'DropCall',
    xml: `<TelServiceRequest>
  <dropCall>
    <deviceNumber>1101</deviceNumber>
  </dropCall>
</TelServiceRequest>   `,
  },
  {
    line: 499,
    root: 'TelServiceRequest',
    section: 'Forward',
    xml: `<TelServiceRequest>
  <forward>
    <deviceNumber>1101</deviceNumber>
    <info>
      <number>1102</number>
      <type>
        <immediate/>
      </type>
      <state>
        <on/>
      </state>
    </info>
  </forward>
</TelServiceRequest>`,
  },
  {
    line: 529,
    root: 'TelServiceRequest',
    section: 'HoldCall',
    xml: `<TelServiceRequest>
  <holdCall>
    <deviceNumber>1101</deviceNumber>
  </holdCall>
</TelServiceRequest>`,
  },
  {
    line: 555,
    root: 'TelServiceRequest',
    section: 'MakeCall',
    xml: `<TelServiceRequest>
  <makeCall>
    <deviceNumber>1101</deviceNumber>
    <calledDeviceNumber>1102</calledDeviceNumber>
  </makeCall>
</TelServiceRequest>`,
  },
  {
    line: 585,
    root: 'TelServiceRequest',
    section: 'QualifyCall',
    xml: `<TelServiceRequest>
  <qualifyCall>
    <deviceNumber>1102</deviceNumber>
  </qualifyCall>
</TelServiceRequest>`,
  },
  {
    line: 590,
    root: 'TelServiceReturn',
    section: 'QualifyCall',
    xml: `<TelServiceReturn>
  <result>
    <qualifyCall>
      <number>1101</number>
    </qualifyCall>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 617,
    root: 'TelServiceRequest',
    section: 'QueryAgentState',
    xml: `<TelServiceRequest>
  <queryAgentState>
    <deviceNumber>1101</deviceNumber>
  </queryAgentState>
</TelServiceRequest>`,
  },
  {
    line: 622,
    root: 'TelServiceReturn',
    section: 'QueryAgentState',
    xml: `<TelServiceReturn>
  <result>
    <agent>
      <state><workingAfterCall/></state>
      <timeout>30</timeout>
      <inboundServices><service>service1</service></inboundServices>
      <permittedStates><ready/><notReady/><workingAfterCall/></permittedStates>
    </agent>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 652,
    root: 'TelServiceRequest',
    section: 'QueryDoNotDisturb',
    xml: `<TelServiceRequest>
  <queryDoNotDisturb>
    <deviceNumber>1101</deviceNumber>
  </queryDoNotDisturb>
</TelServiceRequest>`,
  },
  {
    line: 657,
    root: 'TelServiceReturn',
    section: 'QueryDoNotDisturb',
    xml: `<TelServiceReturn>
  <result>
    <doNotDisturb>
      <off/>
    </doNotDisturb>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 687,
    root: 'TelServiceRequest',
    section: 'QueryForward, Example 1',
    xml: `<TelServiceRequest>
  <queryForward>
    <deviceNumber>1101</deviceNumber>
  </queryForward>
</TelServiceRequest>`,
  },
  {
    line: 692,
    root: 'TelServiceReturn',
    section: 'QueryForward, Example 1',
    xml: `<TelServiceReturn>
  <result>
    <forwards>
      <forward>
        <number>1102</number>
        <type>
          <immediate/>
        </type>
        <state>
          <on/>
        </state>
      </forward>
    </forwards>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 712,
    root: 'TelServiceRequest',
    section: 'QueryForward, Example 2',
    xml: `<TelServiceRequest>
  <queryForward>
    <deviceNumber>1101</deviceNumber>
  </queryForward>
</TelServiceRequest>`,
  },
  {
    line: 717,
    root: 'TelServiceReturn',
    section: 'QueryForward, Example 2',
    xml: `<TelServiceReturn>
  <result>
    <forwards/>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 761,
    root: 'TelServiceRequest',
    section: 'QueryHistory',
    xml: `<TelServiceRequest>
  <queryHistory>
    <deviceNumber>8001</deviceNumber>
    <startDate>2009-12-02</startDate>
  </queryHistory>
</TelServiceRequest>`,
  },
  {
    line: 767,
    root: 'TelServiceReturn',
    section: 'QueryHistory',
    xml: `<TelServiceReturn>
  <result>
    <history>
     <record>
        <creationDate>2009-12-02</creationDate>
        <creationTime>15:32:43</creationTime>
        <otherParty>
          <number>8005</number>
        </otherParty>
        <alertingDuration>0</alertingDuration>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConnected>
          <false/>
        </isConnected>
        <cause>
          <normal/>
        </cause>
      </record>
      <record>
        <creationDate>2009-12-02</creationDate>
        <creationTime>14:53:27</creationTime>
        <otherParty>
          <number>8002</number>
        </otherParty>
        <alertingDuration>0</alertingDuration>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConnected>
          <false/>
        </isConnected>
        <cause>
          <normal/>
        </cause>
      </record>
    </history>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 829,
    root: 'TelServiceRequest',
    section: 'QueryMsgWaiting',
    xml: `<TelServiceRequest>
  <queryMsgWaiting>
    <deviceNumber>1101</deviceNumber>
  </queryMsgWaiting>
</TelServiceRequest>`,
  },
  {
    line: 834,
    root: 'TelServiceReturn',
    section: 'QueryMsgWaiting',
    xml: `<TelServiceReturn>
  <result>
    <msgWaiting>
      <off/>
    </msgWaiting>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 865,
    root: 'TelServiceRequest',
    section: 'QueryUserStatistics, Example 1',
    xml: `<TelServiceRequest>
  <queryUserStatistics>
    <deviceNumber>1101</deviceNumber>
    <type>
      <snapshot/>
    </type>
  </queryUserStatistics>
</TelServiceRequest>`,
  },
  {
    line: 874,
    root: 'TelServiceReturn',
    section: 'QueryUserStatistics, Example 1',
    xml: `<TelServiceReturn>
  <result>
    <userStatistics>
      <snapshot>
        <agentState>
          <ready/>
        </agentState>
        <inboundServices>
          <service>service1</service>
        </inboundServices>
      </snapshot>
    </userStatistics>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 894,
    root: 'TelServiceRequest',
    section: 'QueryUserStatistics, Example 2',
    xml: `<TelServiceRequest>
  <queryUserStatistics>
    <deviceNumber>1101</deviceNumber>
    <type>
      <total/>
    </type>
  </queryUserStatistics>
</TelServiceRequest>`,
  },
  {
    line: 903,
    root: 'TelServiceReturn',
    section: 'QueryUserStatistics, Example 2',
    xml: `<TelServiceReturn>
  <result>
    <userStatistics>
      <total>
        <start>2009-11-09T11:13:23</start>
        <inboundServices>
          <service>service1</service>
        </inboundServices>
        <incomingCallsFailedCount>0</incomingCallsFailedCount>
        <incomingCallsAlertingCount>0</incomingCallsAlertingCount>
        <agentIncomingCallsAlertingCount>0</agentIncomingCallsAlertingCount>
        <incomingCallsConnectedCount>0</incomingCallsConnectedCount>
        <agentIncomingCallsConnectedCount>0</agentIncomingCallsConnectedCount>
        <incomingCallsAbandonedCount>0</incomingCallsAbandonedCount>
        <agentIncomingCallsAbandonedCount>0</agentIncomingCallsAbandonedCount>
        <incomingCallsAlertingDuration>00:00:00</incomingCallsAlertingDuration>
        <incomingCallsAlertingAvgDuration>00:00:00</incomingCallsAlertingAvgDuration>
        <incomingCallsAlertingMaxDuration>00:00:00</incomingCallsAlertingMaxDuration>
        <agentIncomingCallsAlertingDuration>00:00:00</agentIncomingCallsAlertingDuration>
        <agentIncomingCallsAlertingAvgDuration>00:00:00</agentIncomingCallsAlertingAvgDuration>
        <incomingCallsConnectedDuration>00:00:00</incomingCallsConnectedDuration>
        <incomingCallsConnectedAvgDuration>00:00:00</incomingCallsConnectedAvgDuration>
        <incomingCallsConnectedMaxDuration>00:00:00</incomingCallsConnectedMaxDuration>
        <agentIncomingCallsConnectedDuration>00:00:00</agentIncomingCallsConnectedDuration>
        <agentIncomingCallsConnectedAvgDuration>00:00:00</agentIncomingCallsConnectedAvgDuration>
        <outgoingCallsOriginatedCount>0</outgoingCallsOriginatedCount>
        <agentOutgoingCallsOriginatedCount>0</agentOutgoingCallsOriginatedCount>
        <outgoingCallsConnectedCount>0</outgoingCallsConnectedCount>
        <agentOutgoingCallsConnectedCount>0</agentOutgoingCallsConnectedCount>
        <outgoingCallsConnectedDuration>00:00:00</outgoingCallsConnectedDuration>
        <outgoingCallsConnectedAvgDuration>00:00:00</outgoingCallsConnectedAvgDuration>
        <outgoingCallsConnectedMaxDuration>00:00:00</outgoingCallsConnectedMaxDuration>
        <agentOutgoingCallsConnectedDuration>00:00:00</agentOutgoingCallsConnectedDuration>
        <agentOutgoingCallsConnectedAvgDuration>00:00:00</agentOutgoingCallsConnectedAvgDuration>
        <agentLoggedOffDuration>00:00:00</agentLoggedOffDuration>
        <agentLoggedOffPercentage>0</agentLoggedOffPercentage>
        <agentLoggedOnDuration>00:07:01</agentLoggedOnDuration>
        <agentLoggedOnPercentage>1.0E2</agentLoggedOnPercentage>
        <agentNotReadyDuration>00:00:00</agentNotReadyDuration>
        <agentNotReadyPercentage>0</agentNotReadyPercentage>
        <agentReadyDuration>00:07:01</agentReadyDuration>
        <agentReadyPercentage>0</agentReadyPercentage>
        <agentDirectCallDuration>00:00:00</agentDirectCallDuration>
        <agentDirectCallPercentage>0</agentDirectCallPercentage>
        <agentWorkingAfterCallDuration>00:00:00</agentWorkingAfterCallDuration>
        <agentWorkingAfterCallPercentage>0</agentWorkingAfterCallPercentage>
        <agentBusyDuration>00:00:00</agentBusyDuration>
        <agentBusyPercentage>0</agentBusyPercentage>
      </total>
    </userStatistics>
  </result>`,
  },
  {
    line: 971,
    root: 'TelServiceRequest',
    section: 'ReconnectCall',
    xml: `<TelServiceRequest>
  <reconnectCall>
    <deviceNumber>1102</deviceNumber>
  </reconnectCall>
</TelServiceRequest>`,
  },
  {
    line: 992,
    root: 'TelServiceRequest',
    section: 'RetrieveCall',
    xml: `<TelServiceRequest>
  <retrieveCall>
    <deviceNumber>1101</deviceNumber>
  </retrieveCall>
</TelServiceRequest>`,
  },
  {
    line: 1020,
    root: 'TelServiceRequest',
    section: 'SearchName',
    xml: `<TelServiceRequest>
  <searchName>
    <name>Mar</name>
  </searchName>
</TelServiceRequest>`,
  },
  {
    line: 1026,
    root: 'TelServiceReturn',
    section: 'SearchName',
    xml: `<TelServiceReturn>
  <result>
    <searchDirectory/>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1032,
    root: 'TelServiceReturn',
    section: 'SearchName',
    xml: `<TelServiceReturn>
  <result>
    <searchDirectory>
      <party>
        <number>+801</number>
        <name>Marcel Jagger</name>
        <numberType>
          <work/>
        </numberType>
        <company>uniGone</company>
      </party>
      <party>
        <number>+33160127764</number>
        <name>Martin Jagger</name>
        <numberType>
          <home/>
        </numberType>
        <company>uniGone</company>
      </party>
    </searchDirectory>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1074,
    root: 'TelServiceRequest',
    section: 'SearchNumber',
    xml: `<TelServiceRequest>
  <searchNumber>
    <number>+33130127764</number>
  </searchNumber>
</TelServiceRequest>`,
  },
  {
    line: 1080,
    root: 'TelServiceReturn',
    section: 'SearchNumber',
    xml: `<TelServiceReturn>
  <result>
    <searchDirectory/>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1086,
    root: 'TelServiceReturn',
    section: 'SearchNumber',
    xml: `<TelServiceReturn>
  <result>
    <searchDirectory>
      <party>
        <number>+33160127764</number>
        <name>Martin Jagger</name>
        <numberType>
          <home/>
        </numberType>
        <company>uniGone</company>
      </party>
    </searchDirectory>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1130,
    root: 'TelServiceRequest',
    section: 'Snapshot, Example 1',
    xml: `<TelServiceRequest>
  <snapshot>
    <deviceNumber>1102</deviceNumber>
  </snapshot>
</TelServiceRequest>`,
  },
  {
    line: 1135,
    root: 'TelServiceReturn',
    section: 'Snapshot, Example 1',
    xml: `<TelServiceReturn>
  <result>
    <snapshot>
      <calls>
        <call>
          <id>1</id>
          <primCall>
            <state>
              <alerting/>
            </state>
            <otherParty>
              <number>1101</number>
            </otherParty>
            <duration>0</duration>
            <isOutgoing>
              <false/>
            </isOutgoing>
            <isConference>
              <false/>
            </isConference>
          </primCall>
          <permittedServices>
            <answerCall/>
            <divertCall/>
          </permittedServices>
        </call>
      </calls>
      <forwards/>
      <msgWaiting>
        <off/>
      </msgWaiting>
      <doNotDisturb>
        <off/>
      </doNotDisturb>
    </snapshot>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1177,
    root: 'TelServiceRequest',
    section: 'Snapshot, Example 2',
    xml: `<TelServiceRequest>
  <snapshot>
    <deviceNumber>1101</deviceNumber>
  </snapshot>
</TelServiceRequest>`,
  },
  {
    line: 1182,
    root: 'TelServiceReturn',
    section: 'Snapshot, Example 2',
    xml: `<TelServiceReturn>
  <result>
    <snapshot>
      <calls/>
      <forwards>
        <forward>
          <number>1102</number>
          <type>
            <immediate/>
          </type>
          <state>
            <on/>
          </state>
        </forward>
      </forwards>
      <msgWaiting>
        <off/>
      </msgWaiting>
      <doNotDisturb>
        <off/>
      </doNotDisturb>
    </snapshot>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1223,
    root: 'TelServiceRequest',
    section: 'TransferCall',
    xml: `<TelServiceRequest>
  <transferCall>
    <deviceNumber>1102</deviceNumber>
  </transferCall>
</TelServiceRequest>`,
  },
  {
    line: 1246,
    root: 'TelServiceRequest',
    section: 'UpdateUserDirectory',
    xml: `<TelServiceRequest>
  <updateUserDirectory>
    <userID>user</userID>
    <directoryName>outlook</directoryName>
    <parties>
      <party>
        <number>0160121314</number>
        <name>Bob Blake</name>
        <numberType>
          <work/>
        </numberType>
        <company>TheCompany</company>
      </party>
      <party>
        <number>0160121315</number>
        <name>Bob Blake</name>
        <numberType>
          <ip/>
        </numberType>
        <company>TheCompany</company>
      </party>
    </parties>
  </updateUserDirectory>
</TelServiceRequest>`,
  },
  {
    line: 1304,
    root: 'TelServiceRequest',
    section: 'QueryRoutingPointState',
    xml: `<TelServiceRequest>
  <queryRoutingPointState>
    <service>service1</service>
  </queryRoutingPointState>
</TelServiceRequest>`,
  },
  {
    line: 1310,
    root: 'TelServiceReturn',
    section: 'QueryRoutingPointState',
    xml: `<TelServiceReturn>
  <result>
    <routingPointState>
      <started-running/>
    </routingPointState>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1340,
    root: 'TelServiceRequest',
    section: 'QueryRoutingPointStatistics, Example 1',
    xml: `<TelServiceRequest>
  <queryRoutingPointStatistics>
    <service>service1</service>
    <type>
      <snapshot/>
    </type>
  </queryRoutingPointStatistics>
</TelServiceRequest>`,
  },
  {
    line: 1349,
    root: 'TelServiceReturn',
    section: 'QueryRoutingPointStatistics, Example 1',
    xml: `<TelServiceReturn>
  <result>
    <routingPointStatistics>
      <snapshot>
        <queuedCallsCount>0</queuedCallsCount>
        <queuedCallsDuration>00:00:00</queuedCallsDuration>
        <readyAvailableAgentsCount>2</readyAvailableAgentsCount>
        <busyOrWorkingAfterCallAgentsCount>0</busyOrWorkingAfterCallAgentsCount>
        <notReadyOrDirectCallAgentsCount>0</notReadyOrDirectCallAgentsCount>
        <agentsInCallCount>0</agentsInCallCount>
        <loggedOffOrClosedAgentsCount>3</loggedOffOrClosedAgentsCount>
        <agents>
          <agent>
            <deviceNumber>8001</deviceNumber>
            <userID>agent8001</userID>
            <agentState>
              <ready/>
            </agentState>
            <inboundServices>
              <service>service1</service>
            </inboundServices>
          </agent>
          <agent>
            <deviceNumber>8002</deviceNumber>
            <agentState>
              <loggedOff/>
            </agentState>
          </agent>
          <agent>
            <deviceNumber>8003</deviceNumber>
            <userID>agent8003</userID>
            <agentState>
              <ready/>
            </agentState>
            <inboundServices>
              <service>service1</service>
            </inboundServices>
          </agent>
          <agent>
            <deviceNumber>8004</deviceNumber>
            <agentState>
              <loggedOff/>
            </agentState>
          </agent>
          <agent>
            <deviceNumber>8005</deviceNumber>
            <agentState>
              <loggedOff/>
            </agentState>
          </agent>
        </agents>
      </snapshot>
    </routingPointStatistics>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1411,
    root: 'TelServiceRequest',
    section: 'QueryRoutingPointStatistics, Example 2',
    xml: `<TelServiceRequest>
  <queryRoutingPointStatistics>
    <service>service1</service>
    <type>
      <total/>
    </type>
  </queryRoutingPointStatistics>
</TelServiceRequest>`,
  },
  {
    line: 1420,
    root: 'TelServiceReturn',
    section: 'QueryRoutingPointStatistics, Example 2',
    xml: `<TelServiceReturn>
  <result>
    <routingPointStatistics>
      <total>
        <start>2009-11-09T11:12:23</start>
        <workDuration>04:10:23</workDuration>
        <routedToAssignedAgentCallsCount>0</routedToAssignedAgentCallsCount>
        <routedToDistributionCallsCount>0</routedToDistributionCallsCount>
        <routedToFailureRouteCallsCount>0</routedToFailureRouteCallsCount>
        <queuedCallsCount>0</queuedCallsCount>
        <queuedCallsDuration>00:00:00</queuedCallsDuration>
        <queuedCallsAvgDuration>00:00:00</queuedCallsAvgDuration>
        <queuedCallsMaxDuration>00:00:00</queuedCallsMaxDuration>
        <incomingCallsCount>0</incomingCallsCount>
        <incomingCallsAbandoneddImmediatelCount>0</incomingCallsAbandoneddImmediatelCount>
        <incomingCallsAbandonedOnAgentCount>0</incomingCallsAbandonedOnAgentCount>
        <incomingCallsAbandonedOnQueueCount>0</incomingCallsAbandonedOnQueueCount>
        <incomingCallsConnectedCount>0</incomingCallsConnectedCount>
        <incomingCallsAlertingDuration>00:00:00</incomingCallsAlertingDuration>
        <incomingCallsAlertingAvgDuration>00:00:00</incomingCallsAlertingAvgDuration>
        <incomingCallsConnectedDuration>00:00:00</incomingCallsConnectedDuration>
        <incomingCallsConnectedAvgDuration>00:00:00</incomingCallsConnectedAvgDuration>
        <outgoingCallsOriginatedCount>0</outgoingCallsOriginatedCount>
        <outgoingCallsConnectedCount>0</outgoingCallsConnectedCount>
        <outgoingCallsIntendedCount>0</outgoingCallsIntendedCount>
        <outgoingCallsPerformedCount>0</outgoingCallsPerformedCount>
        <outgoingCallsRetriedCount>0</outgoingCallsRetriedCount>
        <outgoingCallsFailedCount>0</outgoingCallsFailedCount>
        <outgoingCallsConnectedDuration>00:00:00</outgoingCallsConnectedDuration>
        <outgoingCallsConnectedAvgDuration>00:00:00</outgoingCallsConnectedAvgDuration>
        <agents>
          <agent>
            <deviceNumber>8001</deviceNumber>
            <start>2009-11-09T11:13:23</start>
            <userID>agent8001</userID>
            <inboundServices>
              <service>service1</service>
            </inboundServices>
            <incomingCallsFailedCount>0</incomingCallsFailedCount>
            <incomingCallsAlertingCount>0</incomingCallsAlertingCount>
            <agentIncomingCallsAlertingCount>0</agentIncomingCallsAlertingCount>
            <incomingCallsConnectedCount>0</incomingCallsConnectedCount>
            <agentIncomingCallsConnectedCount>0</agentIncomingCallsConnectedCount>
            <incomingCallsAbandonedCount>0</incomingCallsAbandonedCount>
            <agentIncomingCallsAbandonedCount>0</agentIncomingCallsAbandonedCount>
            <incomingCallsAlertingDuration>00:00:00</incomingCallsAlertingDuration>
            <incomingCallsAlertingAvgDuration>00:00:00</incomingCallsAlertingAvgDuration>
            <incomingCallsAlertingMaxDuration>00:00:00</incomingCallsAlertingMaxDuration>
            <agentIncomingCallsAlertingDuration>00:00:00</agentIncomingCallsAlertingDuration>
            <agentIncomingCallsAlertingAvgDuration>00:00:00</agentIncomingCallsAlertingAvgDuration>
            <incomingCallsConnectedDuration>00:00:00</incomingCallsConnectedDuration>
            <incomingCallsConnectedAvgDuration>00:00:00</incomingCallsConnectedAvgDuration>
            <incomingCallsConnectedMaxDuration>00:00:00</incomingCallsConnectedMaxDuration>
            <agentIncomingCallsConnectedDuration>00:00:00</agentIncomingCallsConnectedDuration>
            <agentIncomingCallsConnectedAvgDuration>00:00:00</agentIncomingCallsConnectedAvgDuration>
            <outgoingCallsOriginatedCount>0</outgoingCallsOriginatedCount>
            <agentOutgoingCallsOriginatedCount>0</agentOutgoingCallsOriginatedCount>
            <outgoingCallsConnectedCount>0</outgoingCallsConnectedCount>
            <agentOutgoingCallsConnectedCount>0</agentOutgoingCallsConnectedCount>
            <outgoingCallsConnectedDuration>00:00:00</outgoingCallsConnectedDuration>
            <outgoingCallsConnectedAvgDuration>00:00:00</outgoingCallsConnectedAvgDuration>
            <outgoingCallsConnectedMaxDuration>00:00:00</outgoingCallsConnectedMaxDuration>
            <agentOutgoingCallsConnectedDuration>00:00:00</agentOutgoingCallsConnectedDuration>
            <agentOutgoingCallsConnectedAvgDuration>00:00:00</agentOutgoingCallsConnectedAvgDuration>
            <agentLoggedOffDuration>00:00:00</agentLoggedOffDuration>
            <agentLoggedOffPercentage>0</agentLoggedOffPercentage>
            <agentLoggedOnDuration>00:17:35</agentLoggedOnDuration>
            <agentLoggedOnPercentage>1.0E2</agentLoggedOnPercentage>
            <agentNotReadyDuration>00:00:00</agentNotReadyDuration>
            <agentNotReadyPercentage>0</agentNotReadyPercentage>
            <agentReadyDuration>00:17:35</agentReadyDuration>
            <agentReadyPercentage>0</agentReadyPercentage>
            <agentDirectCallDuration>00:00:00</agentDirectCallDuration>
            <agentDirectCallPercentage>0</agentDirectCallPercentage>
            <agentWorkingAfterCallDuration>00:00:00</agentWorkingAfterCallDuration>
            <agentWorkingAfterCallPercentage>0</agentWorkingAfterCallPercentage>
            <agentBusyDuration>00:00:00</agentBusyDuration>
            <agentBusyPercentage>0</agentBusyPercentage>
          </agent>
          <agent>
            <deviceNumber>8002</deviceNumber>
            <userID>agent8002</userID>
          </agent>
          <agent>
            <deviceNumber>8003</deviceNumber>
            <start>2009-11-09T11:12:25</start>
            <userID>agent8003</userID>
            <inboundServices>
              <service>service1</service>
            </inboundServices>
            <incomingCallsFailedCount>0</incomingCallsFailedCount>
            <incomingCallsAlertingCount>0</incomingCallsAlertingCount>
            <agentIncomingCallsAlertingCount>0</agentIncomingCallsAlertingCount>
            <incomingCallsConnectedCount>0</incomingCallsConnectedCount>
            <agentIncomingCallsConnectedCount>0</agentIncomingCallsConnectedCount>
            <incomingCallsAbandonedCount>0</incomingCallsAbandonedCount>
            <agentIncomingCallsAbandonedCount>0</agentIncomingCallsAbandonedCount>
            <incomingCallsAlertingDuration>00:00:00</incomingCallsAlertingDuration>
            <incomingCallsAlertingAvgDuration>00:00:00</incomingCallsAlertingAvgDuration>
            <incomingCallsAlertingMaxDuration>00:00:00</incomingCallsAlertingMaxDuration>
            <agentIncomingCallsAlertingDuration>00:00:00</agentIncomingCallsAlertingDuration>
            <agentIncomingCallsAlertingAvgDuration>00:00:00</agentIncomingCallsAlertingAvgDuration>
            <incomingCallsConnectedDuration>00:00:00</incomingCallsConnectedDuration>
            <incomingCallsConnectedAvgDuration>00:00:00</incomingCallsConnectedAvgDuration>
            <incomingCallsConnectedMaxDuration>00:00:00</incomingCallsConnectedMaxDuration>
            <agentIncomingCallsConnectedDuration>00:00:00</agentIncomingCallsConnectedDuration>
            <agentIncomingCallsConnectedAvgDuration>00:00:00</agentIncomingCallsConnectedAvgDuration>
            <outgoingCallsOriginatedCount>0</outgoingCallsOriginatedCount>
            <agentOutgoingCallsOriginatedCount>0</agentOutgoingCallsOriginatedCount>
            <outgoingCallsConnectedCount>0</outgoingCallsConnectedCount>
            <agentOutgoingCallsConnectedCount>0</agentOutgoingCallsConnectedCount>
            <outgoingCallsConnectedDuration>00:00:00</outgoingCallsConnectedDuration>
            <outgoingCallsConnectedAvgDuration>00:00:00</outgoingCallsConnectedAvgDuration>
            <outgoingCallsConnectedMaxDuration>00:00:00</outgoingCallsConnectedMaxDuration>
            <agentOutgoingCallsConnectedDuration>00:00:00</agentOutgoingCallsConnectedDuration>
            <agentOutgoingCallsConnectedAvgDuration>00:00:00</agentOutgoingCallsConnectedAvgDuration>
            <agentLoggedOffDuration>00:00:00</agentLoggedOffDuration>
            <agentLoggedOffPercentage>0</agentLoggedOffPercentage>
            <agentLoggedOnDuration>00:18:33</agentLoggedOnDuration>
            <agentLoggedOnPercentage>1.0E2</agentLoggedOnPercentage>
            <agentNotReadyDuration>00:00:00</agentNotReadyDuration>
            <agentNotReadyPercentage>0</agentNotReadyPercentage>
            <agentReadyDuration>00:18:33</agentReadyDuration>
            <agentReadyPercentage>0</agentReadyPercentage>
            <agentDirectCallDuration>00:00:00</agentDirectCallDuration>
            <agentDirectCallPercentage>0</agentDirectCallPercentage>
            <agentWorkingAfterCallDuration>00:00:00</agentWorkingAfterCallDuration>
            <agentWorkingAfterCallPercentage>0</agentWorkingAfterCallPercentage>
            <agentBusyDuration>00:00:00</agentBusyDuration>
            <agentBusyPercentage>0</agentBusyPercentage>
          </agent>
          <agent>
            <deviceNumber>8004</deviceNumber>
            <userID>agent8004</userID>
          </agent>
          <agent>
            <deviceNumber>8005</deviceNumber>
            <userID>agent8005</userID>
          </agent>
        </agents>
      </total>
    </routingPointStatistics>
  </result>
</TelServiceReturn>`,
  },
  {
    line: 1589,
    root: 'TelServiceRequest',
    section: 'ResumeRoutingPoint',
    xml: `<TelServiceRequest>
  <resumeRoutingPoint>
    <service>camp1</service>
  </resumeRoutingPoint>
</TelServiceRequest>`,
  },
  {
    line: 1632,
    root: 'TelServiceRequest',
    section: 'StartRoutingPoint',
    xml: `<TelServiceRequest>
  <startRoutingPoint>
    <service>camp1</service>
  </startRoutingPoint>
</TelServiceRequest>`,
  },
  {
    line: 1658,
    root: 'TelServiceRequest',
    section: 'StopRoutingPoint',
    xml: `<TelServiceRequest>
  <stopRoutingPoint>
    <service>camp1</service>
  </stopRoutingPoint>
</TelServiceRequest>`,
  },
  {
    line: 1685,
    root: 'TelServiceRequest',
    section: 'SuspendRoutingPoint',
    xml: `<TelServiceRequest>
  <suspendRoutingPoint>
    <service>camp1</service>
  </suspendRoutingPoint>
</TelServiceRequest>`,
  },
  {
    line: 1713,
    root: 'TelServiceRequest',
    section: 'UpdateRoutingPoint',
    xml: `<TelServiceRequest>
  <updateRoutingPoint>
    <service>camp1</service>
  </updateRoutingPoint>
</TelServiceRequest>`,
  },
  {
    line: 1733,
    root: 'TelServiceRequest',
    section: 'UpdateDirectory',
    xml: `<TelServiceRequest>
  <updateDirectory>
    <directoryName>ldap</directoryName>
  </updateDirectory>
</TelServiceRequest>`,
  },
  {
    line: 1760,
    root: 'TelServiceEvent',
    section: 'Agent',
    xml: `<TelServiceEvent>
  <event>
    <agent>
      <state><workingAfterCall/></state>
      <timeout>30</timeout>
      <inboundServices><service>service1</service></inboundServices>
      <permittedStates><ready/><notReady/><workingAfterCall/></permittedStates>
    </agent>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 1816,
    root: 'TelServiceEvent',
    section: 'Call, Example 1',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <initiated/>
        </state>
        <otherParty>
          <number/>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <dropCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 1842,
    root: 'TelServiceEvent',
    section: 'Call, Example 1',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <originated/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <dropCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 1868,
    root: 'TelServiceEvent',
    section: 'Call, Example 1',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <delivered/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <dropCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 1894,
    root: 'TelServiceEvent',
    section: 'Call, Example 1',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <connected/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <holdCall/>
        <dropCall/>
        <divertCall/>
        <consultationCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 1928,
    root: 'TelServiceEvent',
    section: 'Call, Example 2',
    xml: `<TelServiceEvent>
  <deviceNumber>1102</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <alerting/>
        </state>
        <otherParty>
          <number>1101</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <false/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <answerCall/>
        <divertCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 1955,
    root: 'TelServiceEvent',
    section: 'Call, Example 2',
    xml: `<TelServiceEvent>
  <deviceNumber>1102</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <connected/>
        </state>
        <otherParty>
          <number>1101</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <false/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <holdCall/>
        <dropCall/>
        <divertCall/>
        <consultationCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 1989,
    root: 'TelServiceEvent',
    section: 'Call, Example 3',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <hold/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <duration>118</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <secCall>
        <state>
          <initiated/>
        </state>
        <otherParty>
          <number/>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </secCall>
      <permittedServices>
        <dropCall/>
        <reconnectCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2031,
    root: 'TelServiceEvent',
    section: 'Call, Example 3',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <hold/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <duration>118</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <secCall>
        <state>
          <originated/>
        </state>
        <otherParty>
          <number>1103</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </secCall>
      <permittedServices>
        <dropCall/>
        <reconnectCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2073,
    root: 'TelServiceEvent',
    section: 'Call, Example 3',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <hold/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <duration>119</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <secCall>
        <state>
          <delivered/>
        </state>
        <otherParty>
          <number>1103</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </secCall>
      <permittedServices>
        <dropCall/>
        <reconnectCall/>
        <transferCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2116,
    root: 'TelServiceEvent',
    section: 'Call, Example 3',
    xml: `<TelServiceEvent>
  <deviceNumber>1101</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <hold/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <duration>124</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <secCall>
        <state>
          <connected/>
        </state>
        <otherParty>
          <number>1103</number>
        </otherParty>
        <duration>0</duration>
        <isOutgoing>
          <true/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </secCall>
      <permittedServices>
        <dropCall/>
        <holdCall/>
        <reconnectCall/>
        <alternateCall/>
        <transferCall/>
        <conferenceCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2167,
    root: 'TelServiceEvent',
    section: 'Call, Example 4',
    xml: `<TelServiceEvent>
  <deviceNumber>1104</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <connected/>
        </state>
        <otherParty>
          <number>1102</number>
        </otherParty>
        <lastRedirectionParty>
          <number>1103</number>
        </lastRedirectionParty>
        <duration>11</duration>
        <isOutgoing>
          <false/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
        <cause>
          <transfer/>
        </cause>
      </primCall>
      <permittedServices>
        <holdCall/>
        <dropCall/>
        <divertCall/>
        <consultationCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2202,
    root: 'TelServiceEvent',
    section: 'Call, Example 4',
    xml: `<TelServiceEvent>
  <deviceNumber>1104</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <connected/>
        </state>
        <otherParty>
          <number>1101</number>
        </otherParty>
        <lastRedirectionParty>
          <number>1102</number>
        </lastRedirectionParty>
        <duration>44</duration>
        <isOutgoing>
          <false/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
        <cause>
          <transfer/>
        </cause>
      </primCall>
      <permittedServices>
        <holdCall/>
        <dropCall/>
        <divertCall/>
        <consultationCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2242,
    root: 'TelServiceEvent',
    section: 'Call, Example 5',
    xml: `<TelServiceEvent>
  <deviceNumber>1103</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <alerting/>
        </state>
        <otherParty>
          <number>1101</number>
        </otherParty>
        <firstCalledParty>
          <number>1102</number>
        </firstCalledParty>
        <lastRedirectionParty>
          <number>1102</number>
        </lastRedirectionParty>
        <duration>0</duration>
        <isOutgoing>
          <false/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <answerCall/>
        <divertCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2280,
    root: 'TelServiceEvent',
    section: 'Call, Example 6',
    xml: `<TelServiceEvent>
  <deviceNumber>1104</deviceNumber>
  <event>
    <call>
      <id>1</id>
      <primCall>
        <state>
          <alerting/>
        </state>
        <otherParty>
          <number>1101</number>
        </otherParty>
        <firstCalledParty>
          <number>1102</number>
        </firstCalledParty>
        <lastRedirectionParty>
          <number>1103</number>
        </lastRedirectionParty>
        <duration>0</duration>
        <isOutgoing>
          <false/>
        </isOutgoing>
        <isConference>
          <false/>
        </isConference>
      </primCall>
      <permittedServices>
        <answerCall/>
        <divertCall/>
      </permittedServices>
    </call>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2329,
    root: 'TelServiceEvent',
    section: 'Forward, Example 1',
    xml: `<TelServiceEvent>
  <event>
    <forward>
      <number>1102</number>
      <type>
        <immediate/>
      </type>
      <state>
        <on/>
      </state>
    </forward>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2347,
    root: 'TelServiceEvent',
    section: 'Forward, Example 2',
    xml: `<TelServiceEvent>
  <event>
    <forward>
      <number>1102</number>
      <type>
        <immediate/>
      </type>
      <state>
        <off/>
      </state>
    </forward>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2375,
    root: 'TelServiceEvent',
    section: 'Do not disturb',
    xml: `<TelServiceEvent>
  <event>
    <doNotDisturb>
      <on/>
    </doNotDisturb>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2397,
    root: 'TelServiceEvent',
    section: 'Message waiting',
    xml: `<TelServiceEvent>
  <event>
    <msgWaiting>
      <on/>
    </msgWaiting>
  </event>
</TelServiceEvent>`,
  },
  {
    line: 2417,
    root: 'TelServiceEvent',
    section: 'Session',
    xml: `<TelServiceEvent>
  <event>
    <session>
      <pbxlinkOutOfService/>
    </session>
  </event>
</TelServiceEvent>`,
  },
];
